package deadline

import (
	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/ar"
	"github.com/rickar/cal/v2/at"
	"github.com/rickar/cal/v2/au"
	"github.com/rickar/cal/v2/be"
	"github.com/rickar/cal/v2/bg"
	"github.com/rickar/cal/v2/br"
	"github.com/rickar/cal/v2/ca"
	"github.com/rickar/cal/v2/ch"
	"github.com/rickar/cal/v2/cy"
	"github.com/rickar/cal/v2/cz"
	"github.com/rickar/cal/v2/de"
	"github.com/rickar/cal/v2/dk"
	"github.com/rickar/cal/v2/ee"
	"github.com/rickar/cal/v2/es"
	"github.com/rickar/cal/v2/fi"
	"github.com/rickar/cal/v2/fr"
	"github.com/rickar/cal/v2/gb"
	"github.com/rickar/cal/v2/gr"
	"github.com/rickar/cal/v2/hr"
	"github.com/rickar/cal/v2/hu"
	"github.com/rickar/cal/v2/ie"
	"github.com/rickar/cal/v2/is"
	"github.com/rickar/cal/v2/it"
	"github.com/rickar/cal/v2/jp"
	"github.com/rickar/cal/v2/ke"
	"github.com/rickar/cal/v2/lt"
	"github.com/rickar/cal/v2/lu"
	"github.com/rickar/cal/v2/lv"
	"github.com/rickar/cal/v2/mt"
	"github.com/rickar/cal/v2/mw"
	"github.com/rickar/cal/v2/mx"
	"github.com/rickar/cal/v2/nc"
	"github.com/rickar/cal/v2/nl"
	"github.com/rickar/cal/v2/no"
	"github.com/rickar/cal/v2/nz"
	"github.com/rickar/cal/v2/pl"
	"github.com/rickar/cal/v2/pt"
	"github.com/rickar/cal/v2/ro"
	"github.com/rickar/cal/v2/rs"
	"github.com/rickar/cal/v2/ru"
	"github.com/rickar/cal/v2/se"
	"github.com/rickar/cal/v2/si"
	"github.com/rickar/cal/v2/sk"
	"github.com/rickar/cal/v2/th"
	"github.com/rickar/cal/v2/ua"
	"github.com/rickar/cal/v2/us"
	"github.com/rickar/cal/v2/za"
)

// country is one entry of the table of known public holidays. A country
// with regional lists only (Australia) gives one list per region.
type country struct {
	name    string
	regions [][]*cal.Holiday
}

func national(name string, hs []*cal.Holiday) country {
	return country{name: name, regions: [][]*cal.Holiday{hs}}
}

// countries maps ISO 3166-1 alpha-2 codes to the national holidays that
// github.com/rickar/cal knows. It is read-only after package initialisation.
var countries = map[string]country{
	"AR": national("Argentina", ar.Holidays),
	"AT": national("Austria", at.Holidays),
	"AU": {name: "Australia", regions: [][]*cal.Holiday{
		// Only the states' lists exist, and a candidate's state is not known,
		// so a day is off when it is off in every state and territory.
		au.HolidaysACT, au.HolidaysNSW, au.HolidaysNT, au.HolidaysQLD,
		au.HolidaysSA, au.HolidaysTAS, au.HolidaysVIC, au.HolidaysWA,
	}},
	"BE": national("Belgium", be.Holidays),
	"BG": national("Bulgaria", bg.Holidays),
	"BR": national("Brazil", br.Holidays),
	"CA": national("Canada", ca.Holidays),
	"CH": national("Switzerland", ch.Holidays),
	"CY": national("Cyprus", cy.Holidays),
	"CZ": national("Czechia", cz.Holidays),
	"DE": national("Germany", de.Holidays),
	"DK": national("Denmark", dk.Holidays),
	"EE": national("Estonia", ee.Holidays),
	"ES": national("Spain", es.Holidays),
	"FI": national("Finland", fi.Holidays),
	"FR": national("France", fr.Holidays),
	"GB": national("United Kingdom", gb.Holidays),
	"GR": national("Greece", gr.Holidays),
	"HR": national("Croatia", hr.Holidays),
	"HU": national("Hungary", hu.Holidays),
	"IE": national("Ireland", ie.Holidays),
	"IS": national("Iceland", is.Holidays),
	"IT": national("Italy", it.Holidays),
	"JP": national("Japan", jp.Holidays),
	"KE": national("Kenya", ke.Holidays),
	"LT": national("Lithuania", lt.Holidays),
	"LU": national("Luxembourg", lu.Holidays),
	"LV": national("Latvia", lv.Holidays),
	"MT": national("Malta", mt.Holidays),
	"MW": national("Malawi", mw.Holidays),
	"MX": national("Mexico", mx.Holidays),
	"NC": national("New Caledonia", nc.Holidays),
	"NL": national("Netherlands", nl.Holidays),
	"NO": national("Norway", no.Holidays),
	"NZ": national("New Zealand", nz.Holidays),
	"PL": national("Poland", pl.Holidays),
	"PT": national("Portugal", pt.Holidays),
	"RO": national("Romania", ro.Holidays),
	"RS": national("Serbia", rs.Holidays),
	"RU": national("Russia", ru.Holidays),
	"SE": national("Sweden", se.Holidays),
	"SI": national("Slovenia", si.Holidays),
	"SK": national("Slovakia", sk.Holidays),
	"TH": national("Thailand", th.Holidays),
	"UA": national("Ukraine", ua.Holidays),
	"US": national("United States", us.Holidays),
	"ZA": national("South Africa", za.Holidays),
}
