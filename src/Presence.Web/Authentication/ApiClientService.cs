using Microsoft.AspNetCore.DataProtection;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Presence.Domain.Model;
using Presence.Domain.Tokens;
using Presence.Web.Data;
using Presence.Web.Data.Entities;

namespace Presence.Web.Authentication;

/// <summary>
/// Manages API clients (docs/ARCHITECTURE.md §8, §10 admin pages): create, rotate, revoke, list, issue a test token. Secrets are
/// 32 random bytes (base64url), stored encrypted with Data Protection and returned once. Every change is written to
/// the admin audit log and reloads the in-memory secret cache.
/// </summary>
public sealed class ApiClientService(
    IDbContextFactory<PresenceDbContext> contexts,
    ApiClientSecretCache cache,
    TimeProvider time)
{
    /// <summary>All clients, newest first (secrets never included).</summary>
    public async Task<IReadOnlyList<ApiClientInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.ApiClients.AsNoTracking().OrderByDescending(c => c.Id).ToListAsync(cancellationToken);
        return [.. rows.Select(Info)];
    }

    /// <summary>Creates a client.</summary>
    /// <param name="name">Unique name, 1..100 characters.</param>
    /// <param name="scopes">Scopes; at least one.</param>
    /// <param name="expiresAt">Expiry (UTC), or <c>null</c> for none; must be in the future.</param>
    /// <param name="actor">Who did it (admin user name), for the audit log.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The client and its secret (shown once).</returns>
    /// <exception cref="ArgumentException">Invalid name, no scope, expiry in the past, or the name is taken; the message says which.</exception>
    public async Task<ApiClientSecret> CreateAsync(string name, ApiScopes scopes, DateTimeOffset? expiresAt, string actor, CancellationToken cancellationToken = default)
    {
        name = (name ?? "").Trim();
        if (name.Length is < 1 or > 100) throw new ArgumentException("The client name must be 1 to 100 characters.", nameof(name));
        if (scopes == ApiScopes.None) throw new ArgumentException($"Give at least one scope ({ApiScopeNames.Names}).", nameof(scopes));
        var now = time.GetUtcNow();
        if (expiresAt is { } e && e <= now) throw new ArgumentException("The expiry must be in the future.", nameof(expiresAt));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await db.ApiClients.AnyAsync(c => c.Name == name, cancellationToken))
            throw new ArgumentException($"An API client named '{name}' already exists.", nameof(name));
        var secret = NewSecret();
        var row = new ApiClientRow
        {
            Name = name,
            ProtectedSecret = cache.Protector.Protect(secret),
            Scopes = scopes.ToWire(),
            CreatedAt = now,
            ExpiresAt = expiresAt,
        };
        db.ApiClients.Add(row);
        AdminAudit.Add(db, now, actor, "api-client.create", $"'{name}' scopes '{row.Scopes}' expires {expiresAt?.ToString("O") ?? "never"}");
        await db.SaveChangesAsync(cancellationToken);
        await cache.ReloadAsync(cancellationToken);
        return new ApiClientSecret(Info(row), secret);
    }

    /// <summary>Gives a client a new secret; the previous one is still accepted for <paramref name="grace"/>.</summary>
    /// <param name="id">Client id.</param>
    /// <param name="grace">How long the previous secret stays valid (0 .. 30 days).</param>
    /// <param name="actor">Who did it.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The client and its new secret (shown once).</returns>
    /// <exception cref="KeyNotFoundException">No such client.</exception>
    /// <exception cref="InvalidOperationException">The client is revoked.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Grace outside 0 .. 30 days.</exception>
    public async Task<ApiClientSecret> RotateAsync(long id, TimeSpan grace, string actor, CancellationToken cancellationToken = default)
    {
        if (grace < TimeSpan.Zero || grace > TimeSpan.FromDays(30)) throw new ArgumentOutOfRangeException(nameof(grace), "The grace period must be between 0 and 30 days.");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.ApiClients.SingleOrDefaultAsync(c => c.Id == id, cancellationToken) ?? throw new KeyNotFoundException($"No API client with id {id}.");
        if (row.RevokedAt is not null) throw new InvalidOperationException($"API client '{row.Name}' is revoked.");
        var now = time.GetUtcNow();
        var secret = NewSecret();
        row.PreviousProtectedSecret = grace > TimeSpan.Zero ? row.ProtectedSecret : null;
        row.PreviousSecretValidUntil = grace > TimeSpan.Zero ? now + grace : null;
        row.ProtectedSecret = cache.Protector.Protect(secret);
        AdminAudit.Add(db, now, actor, "api-client.rotate", $"'{row.Name}' previous secret valid for {grace}");
        await db.SaveChangesAsync(cancellationToken);
        await cache.ReloadAsync(cancellationToken);
        return new ApiClientSecret(Info(row), secret);
    }

    /// <summary>Revokes a client: its tokens are refused from now on (idempotent).</summary>
    /// <exception cref="KeyNotFoundException">No such client.</exception>
    public async Task RevokeAsync(long id, string actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.ApiClients.SingleOrDefaultAsync(c => c.Id == id, cancellationToken) ?? throw new KeyNotFoundException($"No API client with id {id}.");
        if (row.RevokedAt is not null) return;
        var now = time.GetUtcNow();
        row.RevokedAt = now;
        row.PreviousProtectedSecret = null;
        row.PreviousSecretValidUntil = null;
        AdminAudit.Add(db, now, actor, "api-client.revoke", $"'{row.Name}'");
        await db.SaveChangesAsync(cancellationToken);
        await cache.ReloadAsync(cancellationToken);
    }

    /// <summary>Mints a token for <paramref name="user"/> signed with the client's current secret (for trying the API).</summary>
    /// <exception cref="KeyNotFoundException">No such client.</exception>
    /// <exception cref="InvalidOperationException">The client is revoked or expired.</exception>
    /// <exception cref="InvalidUserIdException">Invalid user id.</exception>
    public async Task<string> IssueTestTokenAsync(long id, string user, string actor, CancellationToken cancellationToken = default)
    {
        var uid = UserId.Parse(user);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.ApiClients.SingleOrDefaultAsync(c => c.Id == id, cancellationToken) ?? throw new KeyNotFoundException($"No API client with id {id}.");
        var now = time.GetUtcNow();
        if (row.RevokedAt is not null) throw new InvalidOperationException($"API client '{row.Name}' is revoked.");
        if (row.ExpiresAt is { } e && e <= now) throw new InvalidOperationException($"API client '{row.Name}' expired.");
        AdminAudit.Add(db, now, actor, "api-client.test-token", $"'{row.Name}' for '{uid}'");
        await db.SaveChangesAsync(cancellationToken);
        return PresenceToken.Create(cache.Protector.Unprotect(row.ProtectedSecret), uid.Value, now);
    }

    private static string NewSecret() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static ApiClientInfo Info(ApiClientRow r)
    {
        ApiScopeNames.TryParse(r.Scopes, out var scopes, out _);
        return new ApiClientInfo(r.Id, r.Name, scopes, r.CreatedAt, r.ExpiresAt, r.RevokedAt, r.PreviousSecretValidUntil, r.LastUsedAt, r.UseCount);
    }
}
