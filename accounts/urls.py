from django.urls import path

from accounts import oidc, staff_oidc
from accounts.views import account, login, session, tokens

app_name = "accounts"
urlpatterns = [
    path("", account.account, name="account"),
    path("logga-in/", login.login, name="login"),
    path("logga-in/kod/", login.login_code, name="login_code"),
    path("logga-in/aktivera/", login.login_enrol, name="login_enrol"),
    path("logga-ut/", login.logout, name="logout"),
    path("e-legitimation/", oidc.oidc_start, name="oidc_start"),
    path("e-legitimation/klar/", oidc.oidc_callback, name="oidc_callback"),
    path("tjanstekort/", staff_oidc.staff_oidc_start, name="staff_oidc_start"),
    path("tjanstekort/klar/", staff_oidc.staff_oidc_callback, name="staff_oidc_callback"),
    path("tjanstekort/utloggning/", staff_oidc.staff_oidc_backchannel_logout, name="staff_oidc_backchannel_logout"),
    path("session/", session.keepalive, name="keepalive"),
    path("api-nycklar/", tokens.api_tokens, name="api_tokens"),
    path("api-nycklar/<int:pk>/aterkalla/", tokens.api_token_revoke_view, name="api_token_revoke"),
]
