namespace Presence.Web.History;

/// <summary>Registers the history writer and retention pruning.</summary>
internal static class HistoryRegistration
{
    /// <summary>Adds <see cref="HistoryWriter"/> (singleton + hosted) and <see cref="HistoryRetention"/>.</summary>
    public static IServiceCollection AddPresenceHistory(this IServiceCollection services)
    {
        services.AddSingleton<HistoryWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<HistoryWriter>());
        services.AddSingleton<HistoryRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<HistoryRetention>());
        services.AddSingleton<HistoryQueries>();
        return services;
    }
}
