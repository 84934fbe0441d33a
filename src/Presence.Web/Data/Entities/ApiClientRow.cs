namespace Presence.Web.Data.Entities;

/// <summary>
/// An API client (table <c>ApiClients</c>, docs/ARCHITECTURE.md §8): its own token secret, stored encrypted with ASP.NET Data
/// Protection; scopes; expiry; revocation; rotation with a grace period for the previous secret; usage counters.
/// </summary>
public sealed class ApiClientRow
{
    /// <summary>Row id.</summary>
    public long Id { get; set; }

    /// <summary>Unique display name, 1..100 characters.</summary>
    public string Name { get; set; } = "";

    /// <summary>The secret, protected with Data Protection (purpose <c>Presence.ApiClients.Secret</c>).</summary>
    public string ProtectedSecret { get; set; } = "";

    /// <summary>The previous secret after a rotation, protected, or <c>null</c>.</summary>
    public string? PreviousProtectedSecret { get; set; }

    /// <summary>Until when the previous secret is still accepted (UTC), or <c>null</c>.</summary>
    public DateTimeOffset? PreviousSecretValidUntil { get; set; }

    /// <summary>Space-separated scopes: <c>read</c>, <c>write-own</c>, <c>write-any</c>.</summary>
    public string Scopes { get; set; } = "read";

    /// <summary>Creation time (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Expiry (UTC), or <c>null</c> for none.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Revocation time (UTC), or <c>null</c> when active.</summary>
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Last time a token of this client was accepted (UTC), flushed in batches.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>Number of accepted requests, flushed in batches.</summary>
    public long UseCount { get; set; }
}
