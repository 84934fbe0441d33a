using Microsoft.Extensions.Options;

namespace Presence.Web.Configuration;

/// <summary>Binds and validates every option class at start (docs/ARCHITECTURE.md §11): a bad value stops the service with a message naming the key.</summary>
internal static class OptionsRegistration
{
    /// <summary>
    /// Binds the <c>Presence:*</c> sections with data-annotation and cross-field validation on start;
    /// <c>Presence:Xmpp</c> is bound and validated by the component's own <c>AddXmppComponent</c>.
    /// </summary>
    public static IServiceCollection AddPresenceConfiguration(this IServiceCollection services)
    {
        Bind<DatabaseOptions>(services, DatabaseOptions.Section);
        Bind<SpreedOptions>(services, SpreedOptions.Section);
        Bind<PreferredOptions>(services, PreferredOptions.Section);
        Bind<TokenOptions>(services, TokenOptions.Section);
        Bind<AdminOptions>(services, AdminOptions.Section);
        Bind<BoardOptions>(services, BoardOptions.Section);
        Bind<HistoryOptions>(services, HistoryOptions.Section);
        Bind<ListenAddressOptions>(services, "");
        services.AddSingleton<IValidateOptions<ListenAddressOptions>, ListenAddressOptionsValidator>();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, SqliteFileValidator>();
        services.AddOptions<ApiOptions>().BindValidated(ApiOptions.Section)
            .Configure<IConfiguration>((o, c) => StartupValidation.BindOrReport(c.GetSection("Presence:Api:RateLimit"), o));
        services.AddSingleton<IValidateOptions<SpreedOptions>, SpreedOptionsValidator>();
        services.AddSingleton<IValidateOptions<TokenOptions>, TokenOptionsValidator>();
        services.AddSingleton<IValidateOptions<TokenOptions>, SharedSecretValidator>();
        services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        services.AddProtocolOptions();
        return services;
    }

    /// <summary>Binds <c>Presence:Protocols</c> (<see cref="ProtocolOptions"/>) and <c>Presence:Limits</c> with their validation on start.</summary>
    public static IServiceCollection AddProtocolOptions(this IServiceCollection services)
    {
        services.AddOptions<ProtocolOptions>().Configure<IConfiguration>((o, c) => c.GetSection(ProtocolOptions.Section).Bind(o.Protocols)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProtocolOptions>, ProtocolOptionsValidator>();
        Bind<LimitsOptions>(services, LimitsOptions.Section);
        return services;
    }

    private static void Bind<T>(IServiceCollection services, string section) where T : class =>
        services.AddOptions<T>().BindValidated(section);
}
