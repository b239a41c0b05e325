package app

// accountRoutes are a person's own account (issue #14): accepting an
// invitation, a forgotten password, "My account" and two-step sign-in.
func accountRoutes(r *router, h *Handlers) {
	a, api := h.Accounts, "/api/v1"
	// The links in invitation and reset mails: no sign-in, the token decides.
	r.get("/invitations/:token", Public, a.AcceptPage)
	r.post("/invitations/:token", Public, a.Accept)
	r.get("/password-resets", Public, a.ForgotPage)
	r.post("/password-resets", Public, a.Forgot)
	r.get("/password-resets/:token", Public, a.ResetPage)
	r.post("/password-resets/:token", Public, a.Reset)
	r.get(api+"/invitations/:token", Public, a.APIInvitationGet)
	r.post(api+"/invitations/:token/accept", Public, a.APIAccept)
	r.post(api+"/password-resets", Public, a.APIResetRequest)
	r.post(api+"/password-resets/:token", Public, a.APIResetConfirm)

	// Everything here acts on the caller's own account only.
	r.get("/me", OwnAccount, a.MePage)
	r.post("/me/password", OwnAccount, a.MePassword)
	r.post("/me/language", OwnAccount, a.MeLanguage)
	r.post("/me/sessions/:id/revoke", OwnAccount, a.MeSessionRevoke)
	r.post("/me/tokens/:id/revoke", OwnAccount, a.MeTokenRevoke)
	r.get("/me/totp", OwnAccount, a.TOTPPage)
	r.post("/me/totp", OwnAccount, a.TOTPStart)
	r.post("/me/totp/confirm", OwnAccount, a.TOTPConfirm)
	r.post("/me/totp/disable", OwnAccount, a.TOTPDisable)
	r.post("/me/totp/recovery-codes", OwnAccount, a.TOTPNewCodes)
	r.put(api+"/me/password", OwnAccount, a.APIMePassword)
	r.patch(api+"/me", OwnAccount, a.APIMeUpdate)
	r.get(api+"/me/sessions", OwnAccount, a.APIMeSessions)
	r.delete(api+"/me/sessions/:id", OwnAccount, a.APIMeSessionDelete)
	r.get(api+"/me/tokens", OwnAccount, a.APIMeTokens)
	r.delete(api+"/me/tokens/:id", OwnAccount, a.APIMeTokenDelete)
	r.post(api+"/me/totp", OwnAccount, a.APITOTPStart)
	r.post(api+"/me/totp/confirm", OwnAccount, a.APITOTPConfirm)
	r.delete(api+"/me/totp", OwnAccount, a.APITOTPDelete)
	r.post(api+"/me/totp/recovery-codes", OwnAccount, a.APITOTPNewCodes)
}
