namespace Presence.Web.Authentication;

/// <summary>A client with its secret, returned once by create and rotate.</summary>
/// <param name="Client">The client.</param>
/// <param name="Secret">The secret (HMAC key of its tokens); not retrievable later.</param>
public sealed record ApiClientSecret(ApiClientInfo Client, string Secret);
