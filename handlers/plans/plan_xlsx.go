package plans

import (
	"bytes"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/views/xlsx"
	"pakt/web"
)

// PlanXLSX exports the plan as a workbook people open in Excel: measures,
// indicators and budget lines by source and year, with real numbers and
// dates, frozen headers and column widths (GET …/export.xlsx).
func (h *Handler) PlanXLSX(c *fiber.Ctx) error {
	p, err := h.scopedPlan(c)
	if err != nil {
		return err
	}
	names, err := h.OrgNames(c, p.MunicipalityID)
	if err != nil {
		return err
	}
	ctx, cancel := h.Ctx(c)
	defer cancel()
	m, err := models.GetMunicipality(ctx, h.DB, p.MunicipalityID)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	in := xlsx.PlanExport{Plan: p, OrgNames: names, Currency: m.Currency}
	if err := xlsx.WritePlan(&buf, h.Localizer(c), h.I18n.For(m.Language), in); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, xlsx.ContentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="plan-`+web.Itoa(p.ID)+`.xlsx"`)
	return c.Send(buf.Bytes())
}
