namespace Presence.Web.Authentication;

/// <summary>An API client as shown to admins (no secret).</summary>
/// <param name="Id">Id.</param>
/// <param name="Name">Name.</param>
/// <param name="Scopes">Scopes.</param>
/// <param name="CreatedAt">Creation (UTC).</param>
/// <param name="ExpiresAt">Expiry (UTC) or <c>null</c>.</param>
/// <param name="RevokedAt">Revocation (UTC) or <c>null</c>.</param>
/// <param name="PreviousSecretValidUntil">End of the rotation grace (UTC) or <c>null</c>.</param>
/// <param name="LastUsedAt">Last accepted request (UTC, flushed every 10 s) or <c>null</c>.</param>
/// <param name="UseCount">Accepted requests (flushed every 10 s).</param>
public sealed record ApiClientInfo(long Id, string Name, ApiScopes Scopes, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt, DateTimeOffset? PreviousSecretValidUntil, DateTimeOffset? LastUsedAt, long UseCount);
