namespace Presence.Domain.Tokens;

/// <summary>Outcome of <see cref="PresenceToken.Validate"/>.</summary>
/// <param name="IsValid">Accepted.</param>
/// <param name="User">The user part as written in the token (not normalised), when valid.</param>
/// <param name="IssuedAt">Issue time, when valid.</param>
/// <param name="Error">Why refused.</param>
/// <param name="Message">A sentence saying why, when refused.</param>
public sealed record TokenValidation(bool IsValid, string? User, DateTimeOffset IssuedAt, TokenError Error, string? Message)
{
    internal static TokenValidation Fail(TokenError error, string message) => new(false, null, default, error, message);
}
