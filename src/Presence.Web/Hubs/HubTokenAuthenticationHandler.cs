using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Presence.Domain.Model;
using Presence.Domain.Tokens;
using Presence.Web.Configuration;

namespace Presence.Web.Hubs;

/// <summary>
/// Validates a zarafa-format API token (DESIGN §5) given as bearer header or hub <c>access_token</c> query parameter
/// against the legacy shared secret (<c>Presence:Tokens</c>). The principal's name is the token's user (normalised
/// bare JID). A refused token is answered 401 with a <c>WWW-Authenticate: Bearer</c> header naming the reason.
/// </summary>
public sealed class HubTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<TokenOptions> tokens,
    TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>Scheme name.</summary>
    public const string SchemeName = "PresenceHubToken";

    private const string FailureKey = "presence:token-failure";

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = PresenceHubAuthentication.GetToken(Request);
        if (token is null) return Task.FromResult(AuthenticateResult.NoResult());
        var t = tokens.Value;
        var result = PresenceToken.Validate(token, t.SharedSecret, time.GetUtcNow(), t.Expiry, t.MaxClockSkew);
        if (!result.IsValid) return Fail(result.Message!);
        if (!UserId.TryParse(result.User, out var user, out var error)) return Fail($"the token's user is invalid: {error}");
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user.Value), new Claim(ClaimTypes.NameIdentifier, user.Value)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    /// <inheritdoc />
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        var reason = Context.Items[FailureKey] as string ?? "an API token (access_token or Authorization: Bearer) or the sign-in cookie is required";
        Response.Headers.WWWAuthenticate = $"Bearer error=\"invalid_token\", error_description=\"{reason.Replace("\"", "'")}\"";
        return Task.CompletedTask;
    }

    private Task<AuthenticateResult> Fail(string message)
    {
        Context.Items[FailureKey] = message;
        return Task.FromResult(AuthenticateResult.Fail(message));
    }
}
