"""Sign-in: local accounts with password and TOTP, or the agency's single sign-on."""
