namespace Presence.Domain.Tokens;

/// <summary>Why a token was refused.</summary>
public enum TokenError
{
    /// <summary>Accepted.</summary>
    None,
    /// <summary>No token.</summary>
    Missing,
    /// <summary>Not <c>{t}:{user}:{MAC}</c>.</summary>
    Malformed,
    /// <summary>MAC mismatch (forged, altered, wrong secret, lower-case MAC).</summary>
    BadSignature,
    /// <summary>Older than the token lifetime.</summary>
    Expired,
    /// <summary>Issued further in the future than the allowed skew.</summary>
    NotYetValid,
}
