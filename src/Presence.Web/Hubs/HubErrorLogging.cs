using Microsoft.AspNetCore.SignalR;

namespace Presence.Web.Hubs;

/// <summary>
/// Hub invocation errors logged once and in proportion (issue 9 §2): a <see cref="HubException"/> is the caller's
/// mistake (an invalid user id, too many users) and is logged as one Debug line without a stack trace; any other
/// exception is a bug and is logged at Error with its stack trace. SignalR's own dispatcher logger, which would log
/// every failed invocation at Error with a stack trace (a log flood any client could cause), is silenced. The same
/// holds for a connection's start and end: a <see cref="HubException"/> from <c>OnConnectedAsync</c> (a refused
/// connection, e.g. <see cref="HubConnectionLimitFilter"/>) is one Debug line, anything else one Error with its stack
/// trace; SignalR's connection handler, which would log every such failure at Error with a stack trace, gets its Error
/// entries dropped.
/// </summary>
internal sealed class HubErrorLogging(ILogger<HubErrorLogging> log) : IHubFilter
{
    /// <summary>SignalR's dispatcher category whose invocation-failure entries this filter replaces.</summary>
    public const string DispatcherCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    /// <summary>SignalR's connection handler category whose connect/disconnect failure entries (Error) this filter replaces.</summary>
    public const string ConnectionHandlerCategory = "Microsoft.AspNetCore.SignalR.HubConnectionHandler";

    /// <inheritdoc />
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        try
        {
            await next(context);
        }
        catch (HubException ex)
        {
            log.LogDebug("Hub connection {ConnectionId} refused: {Reason}", context.Context.ConnectionId, ex.Message);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogError(ex, "Hub connection {ConnectionId} failed to start", context.Context.ConnectionId);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        try
        {
            await next(context, exception);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogError(ex, "Hub connection {ConnectionId} failed to end cleanly", context.Context.ConnectionId);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (HubException ex)
        {
            log.LogDebug("Hub method {Method} refused: {Reason}", invocationContext.HubMethodName, ex.Message);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogError(ex, "Hub method {Method} failed", invocationContext.HubMethodName);
            throw;
        }
    }
}
