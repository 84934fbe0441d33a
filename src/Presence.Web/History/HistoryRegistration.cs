namespace Presence.Web.History;

/// <summary>Registers the history writer and retention pruning.</summary>
internal static class HistoryRegistration
{
    /// <summary>Adds <see cref="HistoryWriter"/> (singleton + hosted) and <see cref="HistoryRetention"/>.</summary>
    public static IServiceCollection AddPresenceHistory(this IServiceCollection services)
    {
        services.AddSingleton(sp => new HistoryWriter(sp.GetRequiredService<Domain.Tracking.PresenceTracker>(),
            sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Data.PresenceDbContext>>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Configuration.HistoryOptions>>(),
            sp.GetRequiredService<ILogger<HistoryWriter>>(), sp.GetService<TimeProvider>(),
            sp.GetRequiredService<Cluster.ClusterMode>(), sp.GetRequiredService<Cluster.ChangeLogPositions>(), sp.GetRequiredService<Cluster.ChangeLogApplier>()));
        services.AddHostedService(sp => sp.GetRequiredService<HistoryWriter>());
        services.AddSingleton<HistoryRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<HistoryRetention>());
        services.AddSingleton<HistoryQueries>();
        return services;
    }
}
