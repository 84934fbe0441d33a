using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Presence.Domain.Tokens;

/// <summary>
/// The zarafa-presence authentication token (docs/ARCHITECTURE.md §8), compatible with the old daemon and its clients:
/// <c>"{t}:{user}:" + UPPER(base64(HMAC-SHA256(key = secret, msg = "{t}:{user}")))</c> with <c>t</c> in Unix
/// seconds (UTC), standard base64 with padding, then upper-cased. The MAC must equal that upper-cased form exactly.
/// </summary>
public static class PresenceToken
{
    /// <summary>Builds a token for <paramref name="user"/> issued at <paramref name="issuedAt"/>.</summary>
    /// <param name="secret">Shared secret (UTF-8 bytes are the HMAC key); must not be empty.</param>
    /// <param name="user">The user id as the client will send it (e.g. <c>alice@example.com</c>); no validation.</param>
    /// <param name="issuedAt">Issue time; truncated to whole Unix seconds.</param>
    /// <exception cref="ArgumentException">Empty secret.</exception>
    public static string Create(string secret, string user, DateTimeOffset issuedAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var payload = issuedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + ":" + user;
        return payload + ":" + Mac(secret, payload);
    }

    /// <summary>Validates a token: format, MAC (constant-time), expiry and future skew.</summary>
    /// <param name="token">The token text.</param>
    /// <param name="secret">Shared secret.</param>
    /// <param name="now">Current time (UTC).</param>
    /// <param name="expiry">Maximum age (zarafa <c>server_token_expire</c>).</param>
    /// <param name="maxClockSkew">How far in the future <c>t</c> may be.</param>
    /// <returns>The outcome; on success <see cref="TokenValidation.User"/> is the user part as written in the token.</returns>
    public static TokenValidation Validate(string? token, string secret, DateTimeOffset now, TimeSpan expiry, TimeSpan maxClockSkew)
    {
        if (string.IsNullOrEmpty(token)) return TokenValidation.Fail(TokenError.Missing, "no authentication token was given");
        var first = token.IndexOf(':');
        var last = token.LastIndexOf(':');
        if (first <= 0 || last <= first + 1 || last == token.Length - 1)
            return TokenValidation.Fail(TokenError.Malformed, "the token is not of the form '{unix-seconds}:{user}:{MAC}'");
        if (!long.TryParse(token.AsSpan(0, first), NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            return TokenValidation.Fail(TokenError.Malformed, "the token's time is not a whole number of Unix seconds");
        var payload = token[..last];
        var user = token[(first + 1)..last];
        var mac = token[(last + 1)..];
        var expected = Mac(secret, payload);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(mac), Encoding.ASCII.GetBytes(expected)))
            return TokenValidation.Fail(TokenError.BadSignature, "the token's signature does not match (wrong secret, altered token, or a MAC that is not upper-case base64)");
        DateTimeOffset issued;
        try { issued = DateTimeOffset.FromUnixTimeSeconds(t); }
        catch (ArgumentOutOfRangeException) { return TokenValidation.Fail(TokenError.Malformed, "the token's time is out of range"); }
        if (issued > now + maxClockSkew)
            return TokenValidation.Fail(TokenError.NotYetValid, $"the token was issued {(issued - now).TotalSeconds:0} s in the future (more than the allowed clock skew of {maxClockSkew.TotalSeconds:0} s)");
        if (now - issued > expiry)
            return TokenValidation.Fail(TokenError.Expired, $"the token expired: issued {(now - issued).TotalSeconds:0} s ago, lifetime {expiry.TotalSeconds:0} s");
        return new TokenValidation(true, user, issued, TokenError.None, null);
    }

    private static string Mac(string secret, string payload)
    {
        var hash = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(payload));
        return Convert.ToBase64String(hash).ToUpperInvariant();
    }
}
