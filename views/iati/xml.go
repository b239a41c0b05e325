package iati

import "encoding/xml"

// The elements of an IATI 2.03 activity file that Pakt writes, in the
// order the schema (iati-activities-schema.xsd) requires.

type activitiesXML struct {
	XMLName    xml.Name      `xml:"iati-activities"`
	Version    string        `xml:"version,attr"`
	Generated  string        `xml:"generated-datetime,attr"`
	Activities []activityXML `xml:"iati-activity"`
}

type activityXML struct {
	LastUpdated  string           `xml:"last-updated-datetime,attr"`
	Lang         string           `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Currency     string           `xml:"default-currency,attr"`
	Identifier   string           `xml:"iati-identifier"`
	Reporting    orgXML           `xml:"reporting-org"`
	Title        textXML          `xml:"title"`
	Descriptions []descriptionXML `xml:"description"`
	Participants []orgXML         `xml:"participating-org"`
	Other        []otherIDXML     `xml:"other-identifier"`
	Status       codeXML          `xml:"activity-status"`
	Dates        []dateXML        `xml:"activity-date"`
	Country      *countryXML      `xml:"recipient-country"`
	Sectors      []sectorXML      `xml:"sector"`
	Budgets      []budgetXML      `xml:"budget"`
	Transactions []transactionXML `xml:"transaction"`
	Documents    []documentXML    `xml:"document-link"`
	Results      []resultXML      `xml:"result"`
}

type narrativeXML struct {
	Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	Text string `xml:",chardata"`
}

type textXML struct {
	Narratives []narrativeXML `xml:"narrative"`
}

type descriptionXML struct {
	Type       string         `xml:"type,attr"`
	Narratives []narrativeXML `xml:"narrative"`
}

// orgXML is a reporting-org, participating-org, provider-org or receiver-org.
type orgXML struct {
	Ref        string         `xml:"ref,attr,omitempty"`
	Type       string         `xml:"type,attr,omitempty"`
	Role       string         `xml:"role,attr,omitempty"`
	Narratives []narrativeXML `xml:"narrative"`
}

type otherIDXML struct {
	Ref  string `xml:"ref,attr"`
	Type string `xml:"type,attr"`
}

type codeXML struct {
	Code string `xml:"code,attr"`
}

type dateXML struct {
	Type    string `xml:"type,attr"`
	ISODate string `xml:"iso-date,attr"`
}

type isoDateXML struct {
	ISODate string `xml:"iso-date,attr"`
}

type countryXML struct {
	Code       string `xml:"code,attr"`
	Percentage string `xml:"percentage,attr"`
}

type sectorXML struct {
	Vocabulary string `xml:"vocabulary,attr"`
	Code       string `xml:"code,attr"`
	Percentage string `xml:"percentage,attr"`
}

type valueXML struct {
	Currency  string `xml:"currency,attr"`
	ValueDate string `xml:"value-date,attr"`
	Amount    string `xml:",chardata"`
}

type budgetXML struct {
	Type   string     `xml:"type,attr"`
	Status string     `xml:"status,attr"`
	Start  isoDateXML `xml:"period-start"`
	End    isoDateXML `xml:"period-end"`
	Value  valueXML   `xml:"value"`
}

type transactionXML struct {
	Type        codeXML    `xml:"transaction-type"`
	Date        isoDateXML `xml:"transaction-date"`
	Value       valueXML   `xml:"value"`
	Description *textXML   `xml:"description"`
	Provider    *orgXML    `xml:"provider-org"`
}

type documentXML struct {
	URL      string      `xml:"url,attr"`
	Format   string      `xml:"format,attr"`
	Title    textXML     `xml:"title"`
	Category codeXML     `xml:"category"`
	Language codeXML     `xml:"language"`
	Date     *isoDateXML `xml:"document-date"`
}

type resultXML struct {
	Type       string         `xml:"type,attr"`
	Title      textXML        `xml:"title"`
	Indicators []indicatorXML `xml:"indicator"`
}

type indicatorXML struct {
	Measure   string       `xml:"measure,attr"`
	Ascending string       `xml:"ascending,attr"`
	Title     textXML      `xml:"title"`
	Baseline  *baselineXML `xml:"baseline"`
	Periods   []periodXML  `xml:"period"`
}

type baselineXML struct {
	Year    int    `xml:"year,attr"`
	ISODate string `xml:"iso-date,attr"`
	Value   string `xml:"value,attr"`
}

type periodXML struct {
	Start   isoDateXML  `xml:"period-start"`
	End     isoDateXML  `xml:"period-end"`
	Targets []actualXML `xml:"target"`
	Actuals []actualXML `xml:"actual"`
}

// actualXML is a target or an actual value, for everyone or one dimension
// (e.g. sex: female).
type actualXML struct {
	Value     string        `xml:"value,attr"`
	Dimension *dimensionXML `xml:"dimension"`
}

type dimensionXML struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}
