"""Two-step login (security.md B5): TOTP codes from an authenticator app, recovery codes, a
remembered browser for at most 12 hours, and an administrator's reset of a lost device.

`policy` says who must use it, `devices` writes the devices, `remember` signs the
remembered-browser cookie and `middleware` confines an account that has not passed the second
step to the enrolment and code pages. The login pages themselves are the project's
(unionportal.mfa_views).
"""
