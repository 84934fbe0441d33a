namespace Presence.Web.Authentication;

/// <summary>One usable client secret.</summary>
/// <param name="ClientId">Client id.</param>
/// <param name="ClientName">Client name.</param>
/// <param name="Scopes">Client scopes.</param>
/// <param name="Secret">The secret (HMAC key of the client's tokens).</param>
/// <param name="ValidUntil">When this secret stops being accepted (client expiry or end of rotation grace), or <c>null</c>.</param>
public sealed record CachedClientSecret(long ClientId, string ClientName, ApiScopes Scopes, string Secret, DateTimeOffset? ValidUntil);
