using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Presence.Web.Data;

namespace Presence.Web.Authentication;

/// <summary>
/// The active API clients' decrypted secrets held in memory, so a token is checked without a database read
/// (docs/ARCHITECTURE.md §8). Reloaded at start, after every change through <see cref="ApiClientService"/>, and every 30 s
/// (other nodes' changes). Revoked and expired clients are left out; a previous secret is kept until its grace ends.
/// </summary>
public sealed class ApiClientSecretCache(
    IDbContextFactory<PresenceDbContext> contexts,
    IDataProtectionProvider dataProtection,
    TimeProvider time,
    ILogger<ApiClientSecretCache> logger) : BackgroundService
{
    /// <summary>Data Protection purpose of client secrets.</summary>
    public const string Purpose = "Presence.ApiClients.Secret";

    private volatile CachedClientSecret[] _secrets = [];
    private long _generation;

    /// <summary>Incremented on every reload that changed the secrets (lets callers drop what they derived from older ones).</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>The current secrets (active ones first, then previous ones in their grace period).</summary>
    public IReadOnlyList<CachedClientSecret> Secrets => _secrets;

    /// <summary>
    /// Raised after a reload that changed the secrets (a client created, rotated, revoked or expired, a previous
    /// secret's grace ended), on the reloading thread; a handler's exception is logged and does not fail the reload.
    /// </summary>
    public event Action? Changed;

    /// <summary>The protector used for client secrets.</summary>
    public IDataProtector Protector { get; } = dataProtection.CreateProtector(Purpose);

    /// <summary>Reloads from the database.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var rows = await db.ApiClients.AsNoTracking().Where(c => c.RevokedAt == null).ToListAsync(cancellationToken);
        var list = new List<CachedClientSecret>();
        var previous = new List<CachedClientSecret>();
        foreach (var c in rows)
        {
            if (c.ExpiresAt is { } e && e <= now) continue;
            ApiScopeNames.TryParse(c.Scopes, out var scopes, out _);
            var expires = c.ExpiresAt;
            if (Unprotect(c.Id, c.ProtectedSecret) is { } s) list.Add(new CachedClientSecret(c.Id, c.Name, scopes, s, expires));
            if (c.PreviousProtectedSecret is not null && c.PreviousSecretValidUntil is { } until && until > now &&
                Unprotect(c.Id, c.PreviousProtectedSecret) is { } p)
            {
                var graceEnd = until;
                previous.Add(new CachedClientSecret(c.Id, c.Name, scopes, p, expires is { } ex && ex < graceEnd ? ex : graceEnd));
            }
        }
        CachedClientSecret[] secrets = [.. list, .. previous];
        if (secrets.AsSpan().SequenceEqual(_secrets)) return;
        _secrets = secrets;
        Interlocked.Increment(ref _generation);
        try
        {
            Changed?.Invoke();
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "A handler of the API client secrets' change failed");
        }
    }

    private string? Unprotect(long id, string protectedSecret)
    {
        try
        {
            return Protector.Unprotect(protectedSecret);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            logger.LogError(ex, "The secret of API client {Id} cannot be decrypted (Data Protection key ring changed?); its tokens are refused", id);
            return null;
        }
    }

    /// <inheritdoc />
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30), time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try { await ReloadAsync(stoppingToken); }
                catch (Exception ex) when (ex is not OperationCanceledException) { logger.LogError(ex, "Reloading API client secrets failed"); }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
