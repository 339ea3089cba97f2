"""Test support shared by every app's tests, the browser tests and the benchmark; never imported by the application.

`testsupport.cast` holds the fixed cast of personas (`build_cast`), `sign_in` and the small factories.
Not an installed app: it has no models, and nothing under the apps' own modules may import it.
"""
