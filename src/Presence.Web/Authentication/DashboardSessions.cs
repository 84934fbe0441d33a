using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Presence.Web.Authentication;

/// <summary>
/// Ends the sessions of an account whose security stamp changed (password changed or reset, account deleted):
/// sign-in cookies are checked against the database every <see cref="RevalidationInterval"/>
/// (<see cref="SecurityStampValidatorOptions"/>), and so are open dashboard circuits (the Blazor template's revalidating
/// authentication state provider), which then continue signed out.
/// </summary>
internal static class DashboardSessions
{
    /// <summary>How often a session is checked against its account: 1 minute (the framework's default is 30).</summary>
    public static readonly TimeSpan RevalidationInterval = TimeSpan.FromMinutes(1);

    /// <summary>Registers both checks.</summary>
    public static IServiceCollection AddDashboardSessionRevalidation(this IServiceCollection services)
    {
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = RevalidationInterval);
        services.AddScoped<AuthenticationStateProvider, AccountRevalidatingStateProvider>();
        return services;
    }

    /// <summary>
    /// True while <paramref name="user"/>'s account exists and its security stamp is the one the principal was issued
    /// with (a password change or reset renews the stamp).
    /// </summary>
    internal static async Task<bool> IsCurrentAsync(ClaimsPrincipal user, IServiceScopeFactory scopes, IdentityOptions identity)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        if (await users.GetUserAsync(user) is not { } account) return false;
        if (!users.SupportsUserSecurityStamp) return true;
        return user.FindFirstValue(identity.ClaimsIdentity.SecurityStampClaimType) == await users.GetSecurityStampAsync(account);
    }

    /// <summary>Revalidates a circuit's signed-in user every <see cref="RevalidationInterval"/> (<see cref="IsCurrentAsync"/>).</summary>
    private sealed class AccountRevalidatingStateProvider(ILoggerFactory loggers, IServiceScopeFactory scopes, IOptions<IdentityOptions> identity)
        : RevalidatingServerAuthenticationStateProvider(loggers)
    {
        protected override TimeSpan RevalidationInterval => DashboardSessions.RevalidationInterval;

        protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken) =>
            IsCurrentAsync(state.User, scopes, identity.Value);
    }
}
