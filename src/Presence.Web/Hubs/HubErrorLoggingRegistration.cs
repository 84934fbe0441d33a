using Microsoft.AspNetCore.SignalR;

namespace Presence.Web.Hubs;

/// <summary>Registration of <see cref="HubErrorLogging"/>.</summary>
internal static class HubErrorLoggingRegistration
{
    /// <summary>Registers the filter for every hub and silences the dispatcher's own failure entries.</summary>
    public static IServiceCollection AddHubErrorLogging(this IServiceCollection services)
    {
        services.Configure<HubOptions>(o => o.AddFilter<HubErrorLogging>());
        services.Configure<LoggerFilterOptions>(o => o.AddFilter(HubErrorLogging.DispatcherCategory, LogLevel.None));
        return services;
    }
}
