using Presence.Domain.Model;

namespace Presence.Web.Authentication;

/// <summary>An authenticated API caller: the token's user and what the token's secret allows.</summary>
/// <param name="User">The user named in the token (normalised).</param>
/// <param name="Scopes">Scopes of the secret that signed the token.</param>
/// <param name="ClientId">The API client whose secret signed it, or <c>null</c> for the legacy shared secret.</param>
/// <param name="ClientName">The client's name, or <c>legacy</c>.</param>
public sealed record ApiCaller(UserId User, ApiScopes Scopes, long? ClientId, string ClientName)
{
    /// <summary>Rate-limit partition: per client, or per token user for the legacy secret.</summary>
    public string PartitionKey => ClientId is { } id ? "client:" + id : "user:" + User.Value;

    /// <summary>True when the caller may set <paramref name="user"/>'s status (own user with write-own, anyone with write-any).</summary>
    public bool MayWrite(UserId user) =>
        Scopes.HasFlag(ApiScopes.WriteAny) || (Scopes.HasFlag(ApiScopes.WriteOwn) && user == User);

    /// <summary>Why <see cref="MayWrite"/> is false, as a sentence for a 403 detail.</summary>
    public string WriteRefusal(UserId user) =>
        Scopes.HasFlag(ApiScopes.WriteOwn) || Scopes.HasFlag(ApiScopes.WriteAny)
            ? $"the token of '{User}' may not write the status of '{user}' (only its own user; writing other users needs the write-any scope)"
            : $"the token's client '{ClientName}' has no write scope (scopes: {Scopes.ToWire()})";
}
