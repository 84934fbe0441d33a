using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Presence.Web.Authentication;

/// <summary>Registers token authentication, API clients and Data Protection (keys in the database).</summary>
internal static class AuthenticationRegistration
{
    /// <summary>
    /// Adds <see cref="TokenAuthenticator"/>, <see cref="ApiClientService"/>, the secret cache and usage flusher
    /// (hosted), and Data Protection with application name <c>Presence</c> and keys in <c>DataProtectionKeys</c>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">For <c>Presence:DataProtection</c> (<see cref="KeyRingOptions"/>).</param>
    public static IServiceCollection AddPresenceTokenAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDataProtection().SetApplicationName("Presence");
        services.AddKeyRingProtection(configuration);
        services.AddSingleton<ApiClientSecretCache>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiClientSecretCache>());
        services.AddSingleton<ApiClientUsage>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiClientUsage>());
        services.AddSingleton<TokenAuthenticator>();
        services.AddSingleton<ApiClientService>();
        services.AddHostedService<SharedSecretNotice>();
        return services;
    }
}
