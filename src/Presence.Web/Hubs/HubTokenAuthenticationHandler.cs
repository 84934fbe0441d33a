using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Presence.Web.Authentication;

namespace Presence.Web.Hubs;

/// <summary>
/// Authenticates hub requests with the same zarafa-format API tokens as the HTTP API (docs/ARCHITECTURE.md §8), checked by
/// <see cref="TokenAuthenticator"/> (legacy shared secret or an API client's secret), given as bearer header or as the
/// hub's <c>access_token</c> query parameter. The principal's name is the token's user (normalised bare JID); its
/// claims carry the client name and scopes. A refused token is answered 401 with a <c>WWW-Authenticate: Bearer</c>
/// header whose <c>error_description</c> says why. The ticket expires (<see cref="AuthenticationProperties.ExpiresUtc"/>)
/// when the token does (issue time + <c>Presence:Tokens:Expiry</c>, or the end of its secret's validity if earlier), so
/// the hub closes the connection then.
/// </summary>
internal sealed class HubTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TokenAuthenticator tokens) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>Scheme name.</summary>
    public const string SchemeName = "PresenceHubToken";

    /// <summary>Claim type of the API client's name (<c>legacy</c> for the shared secret).</summary>
    public const string ClientClaim = "presence:client";

    /// <summary>Claim type of the API client's id; absent for the legacy shared secret.</summary>
    public const string ClientIdClaim = "presence:client-id";

    /// <summary>Claim type of the token's scopes (<c>read write-own write-any</c>).</summary>
    public const string ScopesClaim = "presence:scopes";

    private const string FailureKey = "presence:token-failure";

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = PresenceHubAuthentication.GetToken(Request);
        if (token is null) return Task.FromResult(AuthenticateResult.NoResult());
        var outcome = tokens.Authenticate(token);
        if (outcome.Caller is not { } caller)
        {
            Context.Items[FailureKey] = outcome.Error;
            return Task.FromResult(AuthenticateResult.Fail(outcome.Error ?? "invalid token"));
        }
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, caller.User.Value),
            new Claim(ClaimTypes.NameIdentifier, caller.User.Value),
            new Claim(ClientClaim, caller.ClientName),
            new Claim(ScopesClaim, caller.Scopes.ToWire()),
        ], SchemeName);
        if (caller.ClientId is { } clientId) identity.AddClaim(new Claim(ClientIdClaim, clientId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        // ExpiresUtc lets the hub (CloseOnAuthenticationExpiration) close the connection once the token would no longer be accepted.
        var properties = new AuthenticationProperties { ExpiresUtc = outcome.ExpiresUtc };
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), properties, SchemeName)));
    }

    /// <inheritdoc />
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        var reason = Context.Items[FailureKey] as string ?? "an API token (access_token or Authorization: Bearer) or the sign-in cookie is required";
        Response.Headers.WWWAuthenticate = $"Bearer error=\"invalid_token\", error_description=\"{reason.Replace("\"", "'")}\"";
        return Task.CompletedTask;
    }
}
