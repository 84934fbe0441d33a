using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Presence.Web.Data;

namespace Presence.Web.Authentication;

/// <summary>
/// Manages the dashboard's accounts (docs/ARCHITECTURE.md §10 admin pages): list, create (viewer or admin), reset a password, delete.
/// A new account and a reset get a generated one-time password, returned once, that must be changed at the next
/// sign-in (<see cref="PasswordEndpoints.MustChangeClaim"/>). Resetting and deleting renew the account's security
/// stamp, so its open sessions end within <see cref="DashboardSessions.RevalidationInterval"/>. The last admin cannot
/// be deleted, nor can an admin delete their own account. Every change is written to the admin audit log.
/// Each call uses its own DI scope (Identity's user manager and its database context are not kept by a page).
/// </summary>
public sealed class DashboardUserService(IServiceScopeFactory scopes, IDbContextFactory<PresenceDbContext> contexts, TimeProvider time)
{
    /// <summary>Longest user name, in characters.</summary>
    public const int MaxUserNameLength = 100;

    /// <summary>Every account, by user name.</summary>
    public async Task<IReadOnlyList<DashboardUserInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var admins = (await users.GetUsersInRoleAsync(DashboardRoles.Admin)).Select(u => u.Id).ToHashSet();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var mustChange = await db.UserClaims.AsNoTracking()
            .Where(c => c.ClaimType == PasswordEndpoints.MustChangeClaim).Select(c => c.UserId).ToListAsync(cancellationToken);
        var all = await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        return [.. all.Select(u => new DashboardUserInfo(u.Id, u.UserName ?? "", admins.Contains(u.Id), mustChange.Contains(u.Id),
            u.LockoutEnd is { } end && end > now ? end : null))];
    }

    /// <summary>Creates an account with a generated one-time password.</summary>
    /// <param name="userName">1..100 characters: letters, digits and <c>- . _ @ +</c> (Identity's user name rule).</param>
    /// <param name="admin">True for an admin, false for a viewer (board and user pages only).</param>
    /// <param name="actor">The admin who does it, for the audit log.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The account and its one-time password (shown once).</returns>
    /// <exception cref="ArgumentException">The name is empty, too long, has a character outside the rule, or is taken; the message says which.</exception>
    public async Task<(DashboardUserInfo User, string Password)> CreateAsync(string userName, bool admin, string actor, CancellationToken cancellationToken = default)
    {
        userName = (userName ?? "").Trim();
        if (userName.Length is < 1 or > MaxUserNameLength) throw new ArgumentException($"The user name must be 1 to {MaxUserNameLength} characters.", nameof(userName));
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        if (await users.FindByNameAsync(userName) is not null) throw new ArgumentException($"An account named '{userName}' already exists.", nameof(userName));
        var password = FirstAdminSeeder.GeneratePassword();
        var user = new IdentityUser(userName);
        Refuse(await users.CreateAsync(user, password));
        Refuse(await users.AddClaimAsync(user, new Claim(PasswordEndpoints.MustChangeClaim, "true")));
        if (admin) Refuse(await users.AddToRoleAsync(user, DashboardRoles.Admin));
        await AuditAsync(actor, "user.create", $"'{userName}' as {(admin ? "admin" : "viewer")}", cancellationToken);
        return (new DashboardUserInfo(user.Id, userName, admin, true, null), password);
    }

    /// <summary>
    /// Gives an account a new generated one-time password (to be changed at the next sign-in), lifts a lockout and ends
    /// its open sessions.
    /// </summary>
    /// <returns>The one-time password (shown once).</returns>
    /// <exception cref="KeyNotFoundException">No such account.</exception>
    public async Task<string> ResetPasswordAsync(string id, string actor, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = await users.FindByIdAsync(id) ?? throw new KeyNotFoundException("No such account (deleted meanwhile?).");
        var password = FirstAdminSeeder.GeneratePassword();
        Refuse(await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), password)); // renews the security stamp
        if (!(await users.GetClaimsAsync(user)).Any(c => c.Type == PasswordEndpoints.MustChangeClaim))
        {
            Refuse(await users.AddClaimAsync(user, new Claim(PasswordEndpoints.MustChangeClaim, "true")));
        }
        Refuse(await users.SetLockoutEndDateAsync(user, null));
        Refuse(await users.ResetAccessFailedCountAsync(user));
        await AuditAsync(actor, "user.reset-password", $"'{user.UserName}'", cancellationToken);
        return password;
    }

    /// <summary>Deletes an account; its open sessions end.</summary>
    /// <exception cref="KeyNotFoundException">No such account.</exception>
    /// <exception cref="InvalidOperationException">It is the actor's own account, or the last admin.</exception>
    public async Task DeleteAsync(string id, string actor, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = await users.FindByIdAsync(id) ?? throw new KeyNotFoundException("No such account (deleted meanwhile?).");
        if (string.Equals(user.UserName, actor, StringComparison.OrdinalIgnoreCase)) throw new InvalidOperationException("You cannot delete your own account.");
        if (await users.IsInRoleAsync(user, DashboardRoles.Admin) && (await users.GetUsersInRoleAsync(DashboardRoles.Admin)).Count <= 1)
        {
            throw new InvalidOperationException($"'{user.UserName}' is the last admin; create another admin first.");
        }
        Refuse(await users.DeleteAsync(user));
        await AuditAsync(actor, "user.delete", $"'{user.UserName}'", cancellationToken);
    }

    private Task AuditAsync(string actor, string action, string detail, CancellationToken cancellationToken) =>
        AdminAudit.WriteAsync(contexts, time.GetUtcNow(), actor, action, detail, cancellationToken);

    /// <exception cref="ArgumentException">Identity refused (e.g. a character outside the user name rule); its reasons.</exception>
    private static void Refuse(IdentityResult result)
    {
        if (!result.Succeeded) throw new ArgumentException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}
