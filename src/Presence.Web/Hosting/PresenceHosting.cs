using Presence.Web.Hubs;

namespace Presence.Web.Hosting;

/// <summary>Registers the service's parts; each area adds itself here.</summary>
public static class PresenceHosting
{
    /// <summary>Adds every service of the host.</summary>
    public static WebApplicationBuilder AddPresenceServices(this WebApplicationBuilder builder)
    {
        builder.AddPresenceHub();
        return builder;
    }

    /// <summary>Maps every endpoint of the host.</summary>
    public static WebApplication MapPresenceEndpoints(this WebApplication app)
    {
        app.MapPresenceHub();
        return app;
    }
}
