package agreements

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"pakt/models"
	"pakt/web"
)

// agreementReq is the API body of an agreement; dates are strings so a bad
// date is a 422 on its field rather than a 400 for the whole body.
type agreementReq struct {
	Title       *string      `json:"title"`
	Level       *string      `json:"level"`
	Goal        *string      `json:"goal"`
	Body        *string      `json:"body"`
	ValidFrom   *string      `json:"valid_from"`
	ValidTo     *string      `json:"valid_to"`
	Parties     *[]partyReq  `json:"parties"`
	Commitments *[]commitReq `json:"commitments"`
}

type partyReq struct {
	OrganisationID  int64 `json:"organisation_id"`
	SignatoryUserID int64 `json:"signatory_user_id"`
}

type commitReq struct {
	Action                    string  `json:"action"`
	ResponsibleOrganisationID int64   `json:"responsible_organisation_id"`
	SupportingOrganisationIDs []int64 `json:"supporting_organisation_ids"`
	DueDate                   string  `json:"due_date"`
}

// apply overlays the request on in (absent fields keep their value, for PATCH).
func (r *agreementReq) apply(in *models.AgreementInput) error {
	f := map[string]string{}
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&in.Title, r.Title)
	set(&in.Level, r.Level)
	set(&in.Goal, r.Goal)
	set(&in.Body, r.Body)
	web.SetDate(f, "valid_from", &in.ValidFrom, r.ValidFrom)
	web.SetDate(f, "valid_to", &in.ValidTo, r.ValidTo)
	if r.Parties != nil {
		in.Parties = []models.PartyInput{}
		for _, p := range *r.Parties {
			in.Parties = append(in.Parties, models.PartyInput(p))
		}
	}
	if r.Commitments != nil {
		in.Commitments = []models.CommitmentInput{}
		for i, c := range *r.Commitments {
			ci := models.CommitmentInput{Action: c.Action, ResponsibleOrganisationID: c.ResponsibleOrganisationID,
				SupportingOrganisationIDs: c.SupportingOrganisationIDs}
			web.SetDate(f, fmt.Sprintf("commitments[%d].due_date", i), &ci.DueDate, &c.DueDate)
			in.Commitments = append(in.Commitments, ci)
		}
	}
	return nil
}

// agreementForm is the browser form: fixed rows for parties and commitments
// (works without JavaScript; empty rows are ignored, more rows appear after saving).
type agreementForm struct {
	In        models.AgreementInput
	Fields    map[string]string
	PartyRows []partyRow
	CommRows  []commRow
	// Extra empty rows asked for (form_rows.go).
	MoreParties, MoreComm int
	partyIdx              []int // position in In.Parties -> form row
	commIdx               []int
}

type partyRow struct {
	N               int
	Org, Signer     int64
	ErrOrg, ErrSign string
}

type commRow struct {
	N                  int
	Action, Due        string
	Resp               int64
	Support            models.Int64s
	ErrAction, ErrResp string
	ErrSupport, ErrDue string
}

// parseAgreementForm reads the browser form into an input, remembering which
// form row each party and commitment came from so errors land next to it.
func parseAgreementForm(c *fiber.Ctx) *agreementForm {
	f := &agreementForm{Fields: map[string]string{}, MoreParties: web.MoreRows(c, "parties"), MoreComm: web.MoreRows(c, "commitments")}
	in := &f.In
	in.Title, in.Level, in.Goal, in.Body = c.FormValue("title"), c.FormValue("level"), c.FormValue("goal"), c.FormValue("body")
	for _, k := range []string{"valid_from", "valid_to"} {
		f.Fields[k] = c.FormValue(k)
	}
	web.SetDateForm(&in.ValidFrom, c.FormValue("valid_from"))
	web.SetDateForm(&in.ValidTo, c.FormValue("valid_to"))
	for n := 0; n < web.MaxFormRows; n++ {
		org, signer := web.FormInt(c, fmt.Sprintf("party_org_%d", n)), web.FormInt(c, fmt.Sprintf("party_signer_%d", n))
		if org == 0 && signer == 0 {
			continue
		}
		in.Parties = append(in.Parties, models.PartyInput{OrganisationID: org, SignatoryUserID: signer})
		f.partyIdx = append(f.partyIdx, n)
	}
	for n := 0; n < web.MaxFormRows; n++ {
		action := strings.TrimSpace(c.FormValue(fmt.Sprintf("c_action_%d", n)))
		resp, due := web.FormInt(c, fmt.Sprintf("c_resp_%d", n)), c.FormValue(fmt.Sprintf("c_due_%d", n))
		if action == "" && resp == 0 && due == "" {
			continue
		}
		ci := models.CommitmentInput{Action: action, ResponsibleOrganisationID: resp, SupportingOrganisationIDs: web.FormInts(c, fmt.Sprintf("c_support_%d", n))}
		web.SetDateForm(&ci.DueDate, due)
		in.Commitments = append(in.Commitments, ci)
		f.commIdx = append(f.commIdx, n)
	}
	return f
}

// rows lays the input and its errors out as form rows, with spare empty rows.
func (f *agreementForm) rows(errs map[string]string) {
	f.PartyRows, f.CommRows = nil, nil
	for i, p := range f.In.Parties {
		n := i
		if i < len(f.partyIdx) {
			n = f.partyIdx[i]
		}
		f.PartyRows = append(f.PartyRows, partyRow{N: n, Org: p.OrganisationID, Signer: p.SignatoryUserID,
			ErrOrg: errs[fmt.Sprintf("parties[%d].organisation_id", i)], ErrSign: errs[fmt.Sprintf("parties[%d].signatory_user_id", i)]})
	}
	for i, cm := range f.In.Commitments {
		n := i
		if i < len(f.commIdx) {
			n = f.commIdx[i]
		}
		k := fmt.Sprintf("commitments[%d].", i)
		f.CommRows = append(f.CommRows, commRow{N: n, Action: cm.Action, Resp: cm.ResponsibleOrganisationID,
			Support: models.Int64s(cm.SupportingOrganisationIDs), Due: cm.DueDate.String(),
			ErrAction: errs[k+"action"], ErrResp: errs[k+"responsible_organisation_id"],
			ErrSupport: errs[k+"supporting_organisation_ids"], ErrDue: errs[k+"due_date"]})
	}
	// Three empty rows, at least four rows in all, and the extra ones asked for.
	f.PartyRows = padParties(f.PartyRows, max(3, 4-len(f.PartyRows))+f.MoreParties)
	f.CommRows = padCommitments(f.CommRows, max(3, 4-len(f.CommRows))+f.MoreComm)
}

func padParties(rows []partyRow, extra int) []partyRow {
	next := 0
	for _, r := range rows {
		next = max(next, r.N+1)
	}
	for i := 0; i < extra && next < web.MaxFormRows; i++ {
		rows = append(rows, partyRow{N: next})
		next++
	}
	return rows
}

func padCommitments(rows []commRow, extra int) []commRow {
	next := 0
	for _, r := range rows {
		next = max(next, r.N+1)
	}
	for i := 0; i < extra && next < web.MaxFormRows; i++ {
		rows = append(rows, commRow{N: next})
		next++
	}
	return rows
}
