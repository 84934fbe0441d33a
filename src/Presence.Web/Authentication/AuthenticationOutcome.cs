namespace Presence.Web.Authentication;

/// <summary>Outcome of <see cref="TokenAuthenticator.Authenticate"/>.</summary>
/// <param name="Caller">The caller when accepted.</param>
/// <param name="Error">Why refused (a sentence naming what was wrong), when refused.</param>
/// <param name="ExpiresUtc">
/// When accepted: the instant (UTC) the token stops being accepted, the earlier of its issue time plus
/// <c>Presence:Tokens:Expiry</c> and the end of its secret's validity (<c>ValidUntil</c> of a rotated API-client
/// secret); <c>null</c> when refused.
/// </param>
public readonly record struct AuthenticationOutcome(ApiCaller? Caller, string? Error, DateTimeOffset? ExpiresUtc = null)
{
    /// <summary>Accepted.</summary>
    public bool IsValid => Caller is not null;
}
