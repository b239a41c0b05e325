package i18n

import "strings"

// serbianLatin maps Serbian Cyrillic to Serbian Latin (Vuk's alphabet and
// Gaj's Latin correspond one to one), so the Latin interface is derived from
// the Cyrillic catalogs and can never drift from them.
var serbianLatin = strings.NewReplacer(
	"Љ", "Lj", "Њ", "Nj", "Џ", "Dž", "љ", "lj", "њ", "nj", "џ", "dž",
	"А", "A", "Б", "B", "В", "V", "Г", "G", "Д", "D", "Ђ", "Đ", "Е", "E", "Ж", "Ž", "З", "Z", "И", "I",
	"Ј", "J", "К", "K", "Л", "L", "М", "M", "Н", "N", "О", "O", "П", "P", "Р", "R", "С", "S", "Т", "T",
	"Ћ", "Ć", "У", "U", "Ф", "F", "Х", "H", "Ц", "C", "Ч", "Č", "Ш", "Š",
	"а", "a", "б", "b", "в", "v", "г", "g", "д", "d", "ђ", "đ", "е", "e", "ж", "ž", "з", "z", "и", "i",
	"ј", "j", "к", "k", "л", "l", "м", "m", "н", "n", "о", "o", "п", "p", "р", "r", "с", "s", "т", "t",
	"ћ", "ć", "у", "u", "ф", "f", "х", "h", "ц", "c", "ч", "č", "ш", "š",
)

// ToSerbianLatin transliterates text, leaving template actions ({{.Name}}) alone
// (they are ASCII, so the replacer cannot touch them).
func ToSerbianLatin(s string) string { return serbianLatin.Replace(s) }
