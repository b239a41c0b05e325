package dashboards

import (
	"html/template"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"pakt/i18n"
	"pakt/models"
	"pakt/web"
)

// The public front page: across every municipality, the consultations open
// now, the plans adopted lately and the reports published lately, then the
// municipalities by country with a filter that works without JavaScript (a
// GET form). Public data only; no count of people is printed.

// homeSearchMax is the longest name filter accepted, in characters.
const homeSearchMax = 100

// homePage is the data of views/pages/home.html.
type homePage struct {
	Front        template.HTML // partials/home_front, cached
	MunisCached  template.HTML // partials/home_municipalities, cached when there is no name filter
	Municipality homeMunisView // drawn in the page when there is one
}

// homeFrontView is the data of the cached fragment views/partials/home_front.html.
type homeFrontView struct {
	L     *i18n.Localizer
	Front *models.Front
}

// homeMunisView is the data of views/partials/home_municipalities.html: the
// filter form, what was asked, and the municipalities by country.
type homeMunisView struct {
	L         *i18n.Localizer
	Q         string
	Country   string
	Countries []string
	Groups    []homeCountry
	Errors    map[string]string
	Filtered  bool
}

// homeCountry is one country's municipalities.
type homeCountry struct {
	Country        string
	Municipalities []models.Municipality
}

var homeCountryCode = regexp.MustCompile(`^[A-Z]{2}$`)

// Home is the public front page; signed-in users go to their dashboard. The
// lists are one fragment cached under the revision of every municipality
// (any consultation opened, plan adopted or report published raises it),
// the language and today's date (a consultation closes by the calendar);
// the municipality list is another, per country, unless a name is searched.
func (h *Handler) Home(c *fiber.Ctx) error {
	if web.PrincipalOf(c).SignedIn() {
		return c.Redirect("/dashboard", fiber.StatusSeeOther)
	}
	l := h.Localizer(c)
	today := models.Today()
	// One revision read names both fragments: it comes before the data.
	rev, err := h.regionRevision(c)
	if err != nil {
		return err
	}
	front, err := h.CachedFragment(c, web.CacheKey("home", rev, l.Lang, today), "partials/home_front", func() (any, error) {
		ctx, cancel := h.Ctx(c)
		defer cancel()
		f, err := models.FrontOf(ctx, h.DB, today)
		return homeFrontView{L: l, Front: f}, err
	})
	if err != nil {
		return err
	}
	v := homeMunisView{L: l, Q: strings.TrimSpace(c.Query("q")), Country: strings.TrimSpace(c.Query("country")), Errors: map[string]string{}}
	if utf8.RuneCountInString(v.Q) > homeSearchMax {
		v.Errors["q"] = l.T("home.search_too_long", "Max", homeSearchMax)
	}
	if v.Country != "" && !homeCountryCode.MatchString(v.Country) {
		v.Errors["country"] = l.T("home.country_unknown")
	}
	page := homePage{}
	status := fiber.StatusOK
	if len(v.Errors) > 0 || v.Q != "" {
		if len(v.Errors) > 0 {
			status = fiber.StatusUnprocessableEntity
		}
		if page.Municipality, err = h.homeMunis(c, v); err != nil {
			return err
		}
	} else {
		key := web.CacheKey("home-munis", rev, l.Lang, v.Country)
		if page.MunisCached, err = h.CachedFragment(c, key, "partials/home_municipalities", func() (any, error) {
			return h.homeMunis(c, v)
		}); err != nil {
			return err
		}
	}
	page.Front = front
	return h.Render(c, status, "home", "home.title", page)
}

// homeMunis fills the municipality list: all of them when the filter is
// refused, else those matching it, grouped by country.
func (h *Handler) homeMunis(c *fiber.Ctx, v homeMunisView) (homeMunisView, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	var err error
	if v.Countries, err = models.MunicipalityCountries(ctx, h.DB); err != nil {
		return v, err
	}
	country, q := v.Country, v.Q
	if len(v.Errors) > 0 {
		country, q = "", ""
	}
	v.Filtered = country != "" || q != ""
	ms, err := models.FindMunicipalities(ctx, h.DB, country, q)
	if err != nil {
		return v, err
	}
	for _, m := range ms {
		if n := len(v.Groups); n == 0 || v.Groups[n-1].Country != m.Country {
			v.Groups = append(v.Groups, homeCountry{Country: m.Country})
		}
		g := &v.Groups[len(v.Groups)-1]
		g.Municipalities = append(g.Municipalities, m)
	}
	return v, nil
}

// regionRevision is the validity scope of output drawn from every
// municipality (as web's RegionKey), read once for several keys.
func (h *Handler) regionRevision(c *fiber.Ctx) (string, error) {
	ctx, cancel := h.Ctx(c)
	defer cancel()
	rev, err := models.RegionRevision(ctx, h.DB)
	return "all@" + rev, err
}
