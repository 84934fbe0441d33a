using System.Net;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Presence.Web.Configuration;

namespace Presence.Web.Metrics;

/// <summary>
/// OpenTelemetry metrics (issue 8 §4): ASP.NET Core and runtime instrumentation, the service's meter
/// <see cref="PresenceInstruments.MeterName"/> and the XMPP component's meter <c>Presence.Xmpp</c>, exported in
/// Prometheus text format at <c>/metrics</c>.
/// </summary>
internal static class MetricsRegistration
{
    /// <summary>Name of the XMPP component's meter (pubsub publishes, acknowledgements, errors, coalesced states).</summary>
    public const string XmppMeterName = "Presence.Xmpp";

    /// <summary>Adds the meter provider, the observable instruments and the change counter.</summary>
    public static IServiceCollection AddPresenceMetrics(this IServiceCollection services)
    {
        services.AddOptions<MetricsOptions>().BindValidated(MetricsOptions.Section);
        services.AddSingleton<PresenceGauges>();
        services.AddHostedService<ChangeCounter>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddMeter(PresenceInstruments.MeterName, XmppMeterName)
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>
    /// Maps <c>/metrics</c> (when <see cref="MetricsOptions.Enabled"/>; loopback callers only unless
    /// <see cref="MetricsOptions.AllowRemote"/>) and counts API refusals by status: 400/413 <c>bad-input</c>,
    /// 403 <c>scope</c>, 429 <c>rate-limit</c> (token refusals are counted where tokens are checked).
    /// </summary>
    public static WebApplication MapPresenceMetrics(this WebApplication app)
    {
        app.Services.GetRequiredService<PresenceGauges>();
        app.Use(async (context, next) =>
        {
            await next(context);
            var reason = context.Response.StatusCode switch
            {
                StatusCodes.Status400BadRequest or StatusCodes.Status413PayloadTooLarge => "bad-input",
                StatusCodes.Status403Forbidden => "scope",
                StatusCodes.Status429TooManyRequests => "rate-limit",
                _ => null,
            };
            if (reason is not null && IsApi(context.Request.Path)) PresenceInstruments.ApiRejections.Add(1, new KeyValuePair<string, object?>("reason", reason));
        });
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (!options.Enabled) return app;
        app.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
        {
            if (!options.AllowRemote && !IsLoopback(context.Connection.RemoteIpAddress))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync("/metrics answers loopback callers only (set Presence:Metrics:AllowRemote=true to allow others)");
                return;
            }
            await next(context);
        }), optionsName: null);
        return app;
    }

    private static bool IsApi(PathString path) =>
        path.StartsWithSegments("/presence") || path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs");

    /// <summary>Loopback, or no IP at all (in-process test server, Unix socket).</summary>
    internal static bool IsLoopback(IPAddress? address) => address is null || IPAddress.IsLoopback(address);
}
