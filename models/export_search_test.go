package models

// SnippetAround exposes snippetAround to the package's external tests.
var SnippetAround = snippetAround
