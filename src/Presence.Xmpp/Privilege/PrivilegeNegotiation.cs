using Microsoft.Extensions.Logging;

namespace Presence.Xmpp.Privilege;

/// <summary>
/// Decides the presence mode of one link session (XEP-0356 §4.2, docs/ARCHITECTURE.md §7): a server that grants permissions sends
/// its advertisement message right after the handshake (Prosody's <c>mod_privilege</c>, ejabberd's <c>mod_privilege</c>);
/// with presence permission <c>managed_entity</c>/<c>roster</c> the mode is <see cref="PresenceMode.Privileged"/>.
/// No advertisement within the wait, or one without presence permission, means <see cref="PresenceMode.Subscription"/>.
/// Thread-safe; <see cref="Reset"/> starts a new link session.
/// </summary>
public sealed class PrivilegeNegotiation(ILogger logger)
{
    private readonly object _gate = new();
    private TaskCompletionSource<PrivilegeAdvertisement> _advertised = NewSource();
    private PresenceMode _mode = PresenceMode.Unknown;

    /// <summary>The current link session's mode (<see cref="PresenceMode.Unknown"/> until decided).</summary>
    public PresenceMode Mode { get { lock (_gate) return _mode; } }

    /// <summary>Raised when the mode changes.</summary>
    public event Action<PresenceMode>? ModeChanged;

    /// <summary>Forgets the previous link session's permissions (a server grants them per connection).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _advertised.TrySetCanceled();
            _advertised = NewSource();
        }
        SetMode(PresenceMode.Unknown);
    }

    /// <summary>Records the server's advertisement (read loop); a later one in the same session replaces the mode.</summary>
    public void OnAdvertisement(PrivilegeAdvertisement advertisement)
    {
        logger.LogInformation("The server granted the component roster={Roster}, message={Message}, presence={Presence} ({Namespace})",
            advertisement.Roster ?? "none", advertisement.Message ?? "none", advertisement.Presence ?? "none", advertisement.Namespace);
        bool first;
        lock (_gate) first = _advertised.TrySetResult(advertisement);
        if (!first) SetMode(advertisement.Mode);
    }

    /// <summary>
    /// Waits for the advertisement at most <paramref name="wait"/>, sets and returns the mode (logged once per session).
    /// </summary>
    /// <exception cref="OperationCanceledException">The session ended first.</exception>
    public async Task<PresenceMode> DecideAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        Task<PrivilegeAdvertisement> advertised;
        lock (_gate) advertised = _advertised.Task;
        PrivilegeAdvertisement? advertisement = null;
        try
        {
            advertisement = await advertised.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        var mode = advertisement?.Mode ?? PresenceMode.Subscription;
        if (mode == PresenceMode.Privileged)
            logger.LogInformation("Presence mode: privileged (XEP-0356 presence permission '{Permission}'): following every user of the server without subscriptions or probes",
                advertisement!.Presence);
        else
            logger.LogInformation("Presence mode: subscription ({Reason}): following users who added the component to their roster",
                advertisement is null ? $"no XEP-0356 permission advertised within {wait.TotalSeconds:0.#} s" : $"presence permission '{advertisement.Presence ?? "none"}'");
        SetMode(mode);
        return mode;
    }

    private void SetMode(PresenceMode mode)
    {
        lock (_gate)
        {
            if (_mode == mode) return;
            _mode = mode;
        }
        ModeChanged?.Invoke(mode);
    }

    private static TaskCompletionSource<PrivilegeAdvertisement> NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
