using Presence.Web.Cluster;
using Presence.Web.Api;
using Presence.Web.Authentication;
using Presence.Web.Configuration;
using Presence.Web.Data;
using Presence.Web.History;
using Presence.Web.Hubs;
using Presence.Web.Logging;
using Presence.Web.Metrics;
using Presence.Xmpp.Component;
using Presence.Xmpp.Hosting;
using Presence.Xmpp.Roster;

namespace Presence.Web.Hosting;

/// <summary>Registers the service's parts; each area adds itself here with a small <c>AddXxx()</c>/<c>MapXxx()</c>.</summary>
internal static class PresenceHosting
{
    /// <summary>Adds every service of the host.</summary>
    public static WebApplicationBuilder AddPresenceServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSecretRedaction();
        services.AddPresenceConfiguration();
        services.AddPresenceTracking();
        services.AddPresenceDatabase();
        services.AddPresenceCluster();
        services.AddPresenceStartup();
        services.AddPresenceHistory();
        services.AddPresenceTokenAuthentication(builder.Configuration);
        services.AddPresenceApi();
        services.AddPresenceMetrics();
        services.AddXmppComponent(builder.Configuration);
        builder.AddDashboard();
        builder.AddPresenceHub();
        return builder;
    }

    /// <summary>Adds the start-up step (migrations, state restore) and the component's subscriber store.</summary>
    public static IServiceCollection AddPresenceStartup(this IServiceCollection services)
    {
        services.AddSingleton<DatabaseStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseStartup>());
        services.AddSingleton<ISubscriberStore, EfSubscriberStore>();
        return services;
    }

    /// <summary>Maps every endpoint of the host.</summary>
    public static WebApplication MapPresenceEndpoints(this WebApplication app)
    {
        app.MapPresenceMetrics();
        app.MapPresenceApi();
        app.MapDashboard();
        app.MapPresenceHub();
        return app;
    }
}
