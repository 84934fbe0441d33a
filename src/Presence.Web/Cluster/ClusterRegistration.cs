using Microsoft.Extensions.Options;
using Presence.Web.Configuration;
using Presence.Web.Data;
using Presence.Xmpp.Component;
using Presence.Xmpp.Hosting;

namespace Presence.Web.Cluster;

/// <summary>Registration of the cluster parts (docs/ARCHITECTURE.md, "Several nodes"); call before <c>AddXmppComponent</c>.</summary>
public static class ClusterRegistration
{
    /// <summary>
    /// Binds <see cref="ClusterOptions"/> (<c>Presence:Cluster</c>) with validation on start; adds <see cref="ClusterMode"/>
    /// (on with the PostgreSQL provider), the change log positions, the applier of other nodes' entries, the
    /// <see cref="ChangeLogFollower"/> and the <see cref="ClusterHeartbeat"/> (both idle on SQLite); and the
    /// <see cref="IComponentLeadership"/>: with PostgreSQL a <see cref="PostgresComponentLeadership"/> on the service's
    /// database, so that among nodes sharing it exactly one runs the XMPP component; otherwise (SQLite, one node) a
    /// <see cref="SingleNodeLeadership"/>, always granted.
    /// </summary>
    public static IServiceCollection AddPresenceCluster(this IServiceCollection services)
    {
        services.AddOptions<ClusterOptions>().BindValidated(ClusterOptions.Section);
        services.AddSingleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>();
        services.AddSingleton<IComponentLeadership>(sp =>
        {
            var node = sp.GetRequiredService<IOptions<ClusterOptions>>().Value.EffectiveNodeName;
            if (!DatabaseRegistration.IsPostgres(sp)) return new SingleNodeLeadership(node);
            return new PostgresComponentLeadership(DatabaseRegistration.ConnectionString(sp), sp.GetRequiredService<IOptions<XmppOptions>>().Value.EffectiveComponentJid,
                node, sp.GetRequiredService<ILogger<PostgresComponentLeadership>>());
        });
        services.AddSingleton(sp => new ClusterMode(sp.GetRequiredService<IOptions<ClusterOptions>>().Value.EffectiveNodeName,
            DatabaseRegistration.IsPostgres(sp) ? DatabaseRegistration.ConnectionString(sp) : null));
        services.AddSingleton<ChangeLogPositions>();
        services.AddSingleton<ChangeLogApplier>();
        services.AddSingleton<ChangeLogFollower>();
        services.AddHostedService(sp => sp.GetRequiredService<ChangeLogFollower>());
        services.AddSingleton<ClusterHeartbeat>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterHeartbeat>());
        return services;
    }

    /// <summary>
    /// This node's part in running the XMPP component, from the link's state: <c>holder</c> while it holds the lease
    /// (connecting, online or waiting to reconnect), <c>standby</c> while another node holds it, <c>null</c> when the
    /// component does not run (disabled or stopped).
    /// </summary>
    public static string? Role(XmppLinkState state) => state switch
    {
        XmppLinkState.Standby => "standby",
        XmppLinkState.Disconnected => null,
        _ => "holder",
    };
}
