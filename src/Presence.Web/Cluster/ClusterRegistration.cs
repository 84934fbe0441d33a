using Presence.Web.Data;

namespace Presence.Web.Cluster;

/// <summary>Registration of the cluster parts (docs/ARCHITECTURE.md, "Several nodes").</summary>
public static class ClusterRegistration
{
    /// <summary>Configuration key of the optional node name (default: machine name and process id).</summary>
    public const string NodeNameKey = "Presence:Cluster:NodeName";

    /// <summary>
    /// Adds <see cref="ClusterMode"/> (on with the PostgreSQL provider), the change log positions, the applier of other
    /// nodes' entries and the <see cref="ChangeLogFollower"/> (idle on SQLite).
    /// </summary>
    public static IServiceCollection AddPresenceCluster(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var name = sp.GetRequiredService<IConfiguration>()[NodeNameKey];
            return new ClusterMode(string.IsNullOrWhiteSpace(name) ? ClusterMode.DefaultNodeName : name.Trim(),
                DatabaseRegistration.IsPostgres(sp) ? DatabaseRegistration.ConnectionString(sp) : null);
        });
        services.AddSingleton<ChangeLogPositions>();
        services.AddSingleton<ChangeLogApplier>();
        services.AddSingleton<ChangeLogFollower>();
        services.AddHostedService(sp => sp.GetRequiredService<ChangeLogFollower>());
        services.AddSingleton<ClusterHeartbeat>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterHeartbeat>());
        return services;
    }
}
