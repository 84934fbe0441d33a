using Microsoft.Extensions.Options;
using Presence.Domain.Model;
using Presence.Domain.Tokens;
using Presence.Web.Configuration;

namespace Presence.Web.Authentication;

/// <summary>
/// Checks zarafa-presence tokens (DESIGN §5, <see cref="PresenceToken"/>) against the legacy shared secret
/// (<c>Presence:Tokens:SharedSecret</c>: scopes read + write-own) and every active API client's secret (including a
/// previous secret during its rotation grace). Records client usage in memory (<see cref="ApiClientUsage"/>).
/// </summary>
public sealed class TokenAuthenticator(
    IOptionsMonitor<TokenOptions> options,
    ApiClientSecretCache clients,
    ApiClientUsage usage,
    TimeProvider time)
{
    /// <summary>Scopes of tokens signed with the legacy shared secret.</summary>
    public const ApiScopes LegacyScopes = ApiScopes.Read | ApiScopes.WriteOwn;

    /// <summary>Validates <paramref name="token"/>.</summary>
    /// <returns>The caller, or a sentence saying why the token was refused (missing, malformed, expired, not yet valid, forged, invalid user).</returns>
    public AuthenticationOutcome Authenticate(string? token)
    {
        var o = options.CurrentValue;
        var now = time.GetUtcNow();
        var v = PresenceToken.Validate(token, o.SharedSecret, now, o.Expiry, o.MaxClockSkew);
        if (v.IsValid) return Caller(v.User!, LegacyScopes, null, "legacy");
        if (v.Error != TokenError.BadSignature) return new AuthenticationOutcome(null, v.Message);
        foreach (var c in clients.Secrets)
        {
            if (c.ValidUntil is { } until && until <= now) continue;
            var cv = PresenceToken.Validate(token, c.Secret, now, o.Expiry, o.MaxClockSkew);
            if (cv.Error == TokenError.BadSignature) continue;
            if (!cv.IsValid) return new AuthenticationOutcome(null, cv.Message);
            var outcome = Caller(cv.User!, c.Scopes, c.ClientId, c.ClientName);
            if (outcome.IsValid) usage.Record(c.ClientId, now);
            return outcome;
        }
        return new AuthenticationOutcome(null, "the token's signature matches no known secret (forged or altered token, wrong or revoked secret, or a MAC that is not upper-case base64)");
    }

    private static AuthenticationOutcome Caller(string user, ApiScopes scopes, long? clientId, string clientName) =>
        UserId.TryParse(user, out var id, out var error)
            ? new AuthenticationOutcome(new ApiCaller(id, scopes, clientId, clientName), null)
            : new AuthenticationOutcome(null, $"the token's user '{user}' is not a valid user id: {error}");
}
