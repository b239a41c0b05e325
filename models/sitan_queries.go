package models

import (
	"context"

	"gorm.io/gorm"
)

// Writes of the situation analysis pages that span several model calls,
// each in one transaction on the db it is given.

// ConsentUpload is a blank consent form uploaded with a new focus group.
type ConsentUpload struct {
	Name, ContentType string
	Content           []byte
}

// CreateCheckedFocusGroup checks in (CheckFocusGroupInput) and reports the
// problems together with those the caller already found in the request,
// found, which win for the same field; with none it creates the focus group.
func CreateCheckedFocusGroup(ctx context.Context, db *gorm.DB, a Actor, muniID int64, in FocusGroupInput,
	found map[string]string) (*FocusGroup, error) {
	errs := make(map[string]string, len(found))
	for k, v := range found {
		errs[k] = v
	}
	if err := CheckFocusGroupInput(ctx, db, muniID, &in); err != nil {
		ve, ok := err.(*ValidationError)
		if !ok {
			return nil, err
		}
		for k, v := range ve.Fields {
			if _, set := errs[k]; !set {
				errs[k] = v
			}
		}
	}
	if len(errs) > 0 {
		return nil, &ValidationError{Fields: errs}
	}
	return CreateFocusGroup(ctx, db, a, muniID, in)
}

// RecordFocusGroup is CreateCheckedFocusGroup and, when consent is not nil,
// SaveConsentForm of the new focus group, in one transaction.
func RecordFocusGroup(ctx context.Context, db *gorm.DB, a Actor, muniID int64, in FocusGroupInput,
	found map[string]string, consent *ConsentUpload) (*FocusGroup, error) {
	var fg *FocusGroup
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if fg, err = CreateCheckedFocusGroup(ctx, tx, a, muniID, in, found); err != nil || consent == nil {
			return err
		}
		return SaveConsentForm(ctx, tx, a, fg.MunicipalityID, fg.ID, consent.Name, consent.ContentType, consent.Content)
	})
	return fg, err
}

// AnswerQuestionnaire saves the answers typed in the answer form (always
// when not submitting, so that the version is checked) and, when submit,
// hands the questionnaire in, in one transaction. version is the
// questionnaire's version the form was drawn at.
func AnswerQuestionnaire(ctx context.Context, db *gorm.DB, a Actor, muniID, id int64, version int,
	answers []AnswerInput, submit bool) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if len(answers) > 0 || !submit {
			if _, err := SaveAnswers(ctx, tx, a, muniID, id, version, answers); err != nil {
				return err
			}
			version = 0 // checked by the save
		}
		if submit {
			_, err := SubmitQuestionnaire(ctx, tx, a, muniID, id, version)
			return err
		}
		return nil
	})
}
