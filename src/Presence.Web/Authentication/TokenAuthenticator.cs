using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Presence.Domain.Model;
using Presence.Domain.Tokens;
using Presence.Web.Configuration;
using Presence.Web.Metrics;

namespace Presence.Web.Authentication;

/// <summary>
/// Checks zarafa-presence tokens (docs/ARCHITECTURE.md §8, <see cref="PresenceToken"/>) against the legacy shared secret
/// (<c>Presence:Tokens:SharedSecret</c>: scopes read + write-own) and every active API client's secret (including a
/// previous secret during its rotation grace). Records client usage in memory (<see cref="ApiClientUsage"/>).
/// Clients reuse a token for its whole lifetime, so accepted tokens are remembered (exact text → caller) and only
/// their times are checked again; the memory is dropped whenever the secrets or the options change.
/// </summary>
public sealed class TokenAuthenticator
{
    private const int MaxRemembered = 50_000;
    private readonly IOptionsMonitor<TokenOptions> _options;
    private readonly ApiClientSecretCache _clients;
    private readonly ApiClientUsage _usage;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Accepted> _accepted = new(StringComparer.Ordinal);
    private long _optionsGeneration;

    /// <summary>Creates the authenticator.</summary>
    public TokenAuthenticator(IOptionsMonitor<TokenOptions> options, ApiClientSecretCache clients, ApiClientUsage usage, TimeProvider time)
    {
        _options = options;
        _clients = clients;
        _usage = usage;
        _time = time;
        options.OnChange(_ => { Interlocked.Increment(ref _optionsGeneration); _accepted.Clear(); Changed?.Invoke(); });
        clients.Changed += () => Changed?.Invoke();
    }

    /// <summary>
    /// Raised when the secrets tokens are checked against changed (an API client created, rotated, revoked or expired;
    /// the token options reloaded), so a token accepted before may be refused now (<see cref="Recheck"/>).
    /// </summary>
    public event Action? Changed;

    /// <summary>Scopes of tokens signed with the legacy shared secret.</summary>
    public const ApiScopes LegacyScopes = ApiScopes.Read | ApiScopes.WriteOwn;

    /// <summary>
    /// Validates <paramref name="token"/>. Whitespace around the token is ignored, the same on every path (compat
    /// <c>AuthenticationToken</c>, REST bearer header, hub bearer header or <c>access_token</c>): a token never
    /// contains whitespace, and clients that copy it from a file often keep a trailing newline.
    /// </summary>
    /// <returns>The caller, or a sentence saying why the token was refused (missing, malformed, expired, not yet valid, forged, invalid user).</returns>
    public AuthenticationOutcome Authenticate(string? token) => Check(token, use: true);

    /// <summary>
    /// Checks again a token accepted earlier (an open hub connection's), without counting it as a use of its client or
    /// a refusal in <c>presence_api_rejections_total</c>.
    /// </summary>
    /// <returns>As <see cref="Authenticate"/>.</returns>
    public AuthenticationOutcome Recheck(string token) => Check(token, use: false);

    private AuthenticationOutcome Check(string? token, bool use)
    {
        token = token?.Trim();
        var o = _options.CurrentValue;
        var now = _time.GetUtcNow();
        var generation = _clients.Generation + Interlocked.Read(ref _optionsGeneration);
        if (token is not null && _accepted.TryGetValue(token, out var known) && known.Generation == generation)
        {
            if (now - known.IssuedAt <= o.Expiry && known.IssuedAt <= now + o.MaxClockSkew && (known.ValidUntil is not { } u || u > now))
            {
                if (use && known.Caller.ClientId is { } id) _usage.Record(id, now);
                return new AuthenticationOutcome(known.Caller, null, ExpiresAt(known.IssuedAt, known.ValidUntil, o));
            }
            _accepted.TryRemove(token, out _);
        }
        var outcome = Validate(token, o, now, use);
        if (outcome.Outcome.IsValid)
        {
            if (_accepted.Count >= MaxRemembered) _accepted.Clear();
            _accepted[token!] = new Accepted(outcome.Outcome.Caller!, outcome.IssuedAt, outcome.ValidUntil, generation);
            return outcome.Outcome with { ExpiresUtc = ExpiresAt(outcome.IssuedAt, outcome.ValidUntil, o) };
        }
        return outcome.Outcome;
    }

    /// <summary>When an accepted token stops being accepted: issue time + expiry, or the secret's end of validity if earlier.</summary>
    private static DateTimeOffset ExpiresAt(DateTimeOffset issuedAt, DateTimeOffset? validUntil, TokenOptions o)
    {
        var expires = issuedAt + o.Expiry;
        return validUntil is { } until && until < expires ? until : expires;
    }

    private (AuthenticationOutcome Outcome, DateTimeOffset IssuedAt, DateTimeOffset? ValidUntil) Validate(string? token, TokenOptions o, DateTimeOffset now, bool use)
    {
        // No shared secret: the legacy path is off. The token is still checked against a secret nobody knows, so that
        // malformed, expired and future tokens get the same answers as before and a client's token is found below.
        var v = PresenceToken.Validate(token, SharedSecretPolicy.IsEnabled(o) ? o.SharedSecret : Unknowable, now, o.Expiry, o.MaxClockSkew);
        if (v.IsValid) return (Caller(v.User!, LegacyScopes, null, "legacy"), v.IssuedAt, null);
        if (v.Error != TokenError.BadSignature) return (Refused(v.Error, v.Message, use), default, null);
        foreach (var c in _clients.Secrets)
        {
            if (c.ValidUntil is { } until && until <= now) continue;
            var cv = PresenceToken.Validate(token, c.Secret, now, o.Expiry, o.MaxClockSkew);
            if (cv.Error == TokenError.BadSignature) continue;
            if (!cv.IsValid) return (Refused(cv.Error, cv.Message, use), default, null);
            var outcome = Caller(cv.User!, c.Scopes, c.ClientId, c.ClientName);
            if (use && outcome.IsValid) _usage.Record(c.ClientId, now);
            return (outcome, cv.IssuedAt, c.ValidUntil);
        }
        return (Refused(TokenError.BadSignature, SharedSecretPolicy.IsEnabled(o) ? Forged : NoSharedSecret, use), default, null);
    }

    /// <summary>The refusal of a token whose MAC matches neither the shared secret nor an API client's secret.</summary>
    public const string Forged = "the token's signature matches no known secret (forged or altered token, wrong or revoked secret, or a MAC that is not upper-case base64)";

    /// <summary>
    /// The refusal of a token whose MAC matches no API client's secret while no shared secret is configured: the likely
    /// reason is a token minted with a shared secret this service does not have.
    /// </summary>
    public const string NoSharedSecret = "the token's signature matches no API client's secret, and no shared secret is configured on this service; " +
                                         "use an API client's secret or set Presence:Tokens:SharedSecret (the same value the token was minted with)";

    /// <summary>
    /// A refusal, counted (when <paramref name="count"/>) in <c>presence_api_rejections_total</c> as
    /// <c>token-expired</c>, <c>token-forged</c> or <c>token-invalid</c>.
    /// </summary>
    private static AuthenticationOutcome Refused(TokenError error, string? message, bool count)
    {
        if (count)
        {
            var reason = error switch { TokenError.Expired => "token-expired", TokenError.BadSignature => "token-forged", _ => "token-invalid" };
            PresenceInstruments.ApiRejections.Add(1, new KeyValuePair<string, object?>("reason", reason));
        }
        return new AuthenticationOutcome(null, message);
    }

    /// <summary>A per-process random secret standing in for an absent shared secret (so an empty key never validates).</summary>
    private static readonly string Unknowable = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private sealed record Accepted(ApiCaller Caller, DateTimeOffset IssuedAt, DateTimeOffset? ValidUntil, long Generation);

    private static AuthenticationOutcome Caller(string user, ApiScopes scopes, long? clientId, string clientName) =>
        UserId.TryParse(user, out var id, out var error)
            ? new AuthenticationOutcome(new ApiCaller(id, scopes, clientId, clientName), null)
            : new AuthenticationOutcome(null, $"the token's user '{user}' is not a valid user id: {error}");
}
