using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;
using Presence.Domain.Tracking;
using Presence.Web.Model;
using Presence.Xmpp.Component;

namespace Presence.Web.Tests.Support;

/// <summary>
/// Base of the bunit component tests: a <see cref="BunitContext"/> with MudBlazor's services, loose JavaScript
/// interop (MudBlazor calls into its script; answers default), a <see cref="FakeTimeProvider"/> as the clock and a
/// real <see cref="PresenceTracker"/> on it. Disposed asynchronously (MudBlazor's services only implement
/// <see cref="IAsyncDisposable"/>).
/// </summary>
public abstract class DashboardContext : IAsyncLifetime
{
    protected DashboardContext()
    {
        // WaitFor… gives up after this long: renders that depend on the real SQLite history or the tracker's feed
        // can take more than bunit's 1 s default on a loaded 2-core machine; a passing wait returns at once.
        BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        Ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        Ctx.Services.AddMudServices();
        Ctx.Services.AddSingleton<TimeProvider>(Time);
        Ctx.Services.AddSingleton(Tracker);
        Ctx.Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        Ctx.Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        Ctx.Services.AddSingleton(Options.Create(new XmppOptions()));
        Ctx.Services.AddScoped<ThemePreference>();
    }

    /// <summary>The bunit context.</summary>
    protected BunitContext Ctx { get; } = new();

    /// <summary>The clock of the components under test; advance it to let throttled renders run.</summary>
    protected FakeTimeProvider Time { get; } = new(Presences.T0.AddHours(1));

    /// <summary>The presence authority the components read.</summary>
    protected PresenceTracker Tracker => _tracker ??= new PresenceTracker(Time);

    private PresenceTracker? _tracker;

    /// <inheritdoc />
    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public virtual async Task DisposeAsync() => await Ctx.DisposeAsync();
}
