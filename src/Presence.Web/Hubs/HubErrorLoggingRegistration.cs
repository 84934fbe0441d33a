using Microsoft.AspNetCore.SignalR;

namespace Presence.Web.Hubs;

/// <summary>Registration of <see cref="HubErrorLogging"/>.</summary>
internal static class HubErrorLoggingRegistration
{
    /// <summary>Registers the filter for every hub and silences the dispatcher's and the connection handler's own failure entries.</summary>
    public static IServiceCollection AddHubErrorLogging(this IServiceCollection services)
    {
        services.Configure<HubOptions>(o => o.AddFilter<HubErrorLogging>());
        services.Configure<LoggerFilterOptions>(o =>
        {
            o.AddFilter(HubErrorLogging.DispatcherCategory, LogLevel.None);
            // The handler logs nothing at Information or Warning; its Debug and Trace entries go too (a rule with a
            // filter replaces the configured minimum level for its category).
            o.AddFilter(HubErrorLogging.ConnectionHandlerCategory, level => level is LogLevel.Warning or LogLevel.Critical);
        });
        return services;
    }
}
