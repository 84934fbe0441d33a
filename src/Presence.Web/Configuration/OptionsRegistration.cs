using Microsoft.Extensions.Options;
using Presence.Xmpp.Component;

namespace Presence.Web.Configuration;

/// <summary>Binds and validates every option class at start (DESIGN §9): a bad value stops the service with a message naming the key.</summary>
public static class OptionsRegistration
{
    /// <summary>Binds the <c>Presence:*</c> sections with data-annotation and cross-field validation on start.</summary>
    public static IServiceCollection AddPresenceConfiguration(this IServiceCollection services)
    {
        Bind<DatabaseOptions>(services, DatabaseOptions.Section);
        Bind<SpreedOptions>(services, SpreedOptions.Section);
        Bind<TokenOptions>(services, TokenOptions.Section);
        Bind<AdminOptions>(services, AdminOptions.Section);
        Bind<BoardOptions>(services, BoardOptions.Section);
        Bind<HistoryOptions>(services, HistoryOptions.Section);
        Bind<HistoryWriterOptions>(services, HistoryWriterOptions.Section);
        Bind<XmppOptions>(services, XmppOptions.Section);
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section, o => o.ErrorOnUnknownConfiguration = false)
            .Configure<IConfiguration>((o, c) => c.GetSection("Presence:Api:RateLimit").Bind(o))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<XmppOptions>, XmppOptionsValidator>();
        services.AddSingleton<IValidateOptions<SpreedOptions>, SpreedOptionsValidator>();
        services.AddSingleton<IValidateOptions<TokenOptions>, TokenOptionsValidator>();
        return services;
    }

    private static void Bind<T>(IServiceCollection services, string section) where T : class =>
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
}

/// <summary>Cross-field and key-naming checks of <see cref="XmppOptions"/> (<c>Presence:Xmpp</c>).</summary>
internal sealed class XmppOptionsValidator : IValidateOptions<XmppOptions>
{
    public ValidateOptionsResult Validate(string? name, XmppOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.Domain)) errors.Add("Presence:Xmpp:Domain must not be empty.");
        if (o.Port is < 1 or > 65535) errors.Add($"Presence:Xmpp:Port must be between 1 and 65535 (was {o.Port}).");
        if (o.Enabled && string.IsNullOrEmpty(o.Secret)) errors.Add("Presence:Xmpp:Secret is required when Presence:Xmpp:Enabled is true.");
        if (o.PingInterval <= TimeSpan.Zero) errors.Add("Presence:Xmpp:PingInterval must be positive.");
        if (o.PingTimeout <= TimeSpan.Zero) errors.Add("Presence:Xmpp:PingTimeout must be positive.");
        else if (o.PingTimeout >= o.PingInterval) errors.Add("Presence:Xmpp:PingTimeout must be shorter than Presence:Xmpp:PingInterval.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>Cross-field checks of <see cref="SpreedOptions"/> (<c>Presence:Spreed</c>).</summary>
internal sealed class SpreedOptionsValidator : IValidateOptions<SpreedOptions>
{
    public ValidateOptionsResult Validate(string? name, SpreedOptions o) =>
        o.PausedAfter > o.AutoUnavailable
            ? ValidateOptionsResult.Fail($"Presence:Spreed:PausedAfter ({o.PausedAfter}) must not be longer than Presence:Spreed:AutoUnavailable ({o.AutoUnavailable}).")
            : ValidateOptionsResult.Success;
}

/// <summary>Cross-field checks of <see cref="TokenOptions"/> (<c>Presence:Tokens</c>).</summary>
internal sealed class TokenOptionsValidator : IValidateOptions<TokenOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenOptions o) =>
        o.MaxClockSkew > o.Expiry
            ? ValidateOptionsResult.Fail($"Presence:Tokens:MaxClockSkew ({o.MaxClockSkew}) must not be longer than Presence:Tokens:Expiry ({o.Expiry}).")
            : ValidateOptionsResult.Success;
}
