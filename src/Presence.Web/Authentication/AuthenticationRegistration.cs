using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Presence.Web.Authentication;

/// <summary>Registers token authentication, API clients and Data Protection (keys in the database).</summary>
public static class AuthenticationRegistration
{
    /// <summary>
    /// Adds <see cref="TokenAuthenticator"/>, <see cref="ApiClientService"/>, the secret cache and usage flusher
    /// (hosted), and Data Protection with application name <c>Presence</c> and keys in <c>DataProtectionKeys</c>.
    /// </summary>
    public static IServiceCollection AddPresenceTokenAuthentication(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("Presence");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DbXmlRepository(sp)));
        services.AddSingleton<ApiClientSecretCache>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiClientSecretCache>());
        services.AddSingleton<ApiClientUsage>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiClientUsage>());
        services.AddSingleton<TokenAuthenticator>();
        services.AddSingleton<ApiClientService>();
        return services;
    }
}
