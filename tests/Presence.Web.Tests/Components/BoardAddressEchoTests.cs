using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Web.Components.Pages;
using Presence.Web.Tests.Support;

namespace Presence.Web.Tests.Components;

/// <summary>
/// The board's address as a browser changes it: a replaced address comes back as a location change later, possibly
/// after the person chose again (simulated by a navigation manager that completes navigations when told).
/// </summary>
public sealed class BoardAddressEchoTests : DashboardContext
{
    private readonly DeferredNavigationManager _navigation = new();

    public BoardAddressEchoTests()
    {
        Ctx.Services.AddSingleton<NavigationManager>(_navigation);
        Ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private static string[] Users(IRenderedComponent<Board> board) =>
        [.. board.FindAll("tr.board-row").Select(r => r.GetAttribute("data-user")!)];

    [Fact]
    public async Task AnOwnAddressComingBackAfterALaterChoiceDoesNotUndoIt()
    {
        Tracker.Apply(new ProtocolStatusUpdate(UserId.Parse("bob@example.com"), Protocols.Spreed, PresenceState.Busy, ""));
        Tracker.Apply(new ProtocolStatusUpdate(UserId.Parse("carol@example.com"), Protocols.Spreed, PresenceState.Away, ""));
        var board = Ctx.Render<Board>();

        await board.Find("[data-count='busy']").ClickAsync(new MouseEventArgs());
        await board.Find("[data-count='away']").ClickAsync(new MouseEventArgs());
        Assert.Equal(["carol@example.com"], Users(board));
        var renders = board.Instance.RenderCount;

        await Ctx.Renderer.Dispatcher.InvokeAsync(_navigation.CompleteNext); // ?state=busy, superseded
        Assert.Equal("http://localhost/?state=busy", _navigation.Uri);
        Assert.Equal(["carol@example.com"], Users(board));

        await Ctx.Renderer.Dispatcher.InvokeAsync(_navigation.CompleteNext); // ?state=away
        Assert.Equal("http://localhost/?state=away", _navigation.Uri);
        Assert.Equal(["carol@example.com"], Users(board));
        Assert.Equal(renders, board.Instance.RenderCount);
    }

    /// <summary>
    /// Navigates like a browser does: the address changes only when <see cref="CompleteNext"/> reports the oldest
    /// navigation asked for as done.
    /// </summary>
    private sealed class DeferredNavigationManager : NavigationManager
    {
        private readonly Queue<string> _pending = new();

        public DeferredNavigationManager() => Initialize("http://localhost/", "http://localhost/");

        public void CompleteNext()
        {
            Uri = _pending.Dequeue();
            NotifyLocationChanged(isInterceptedLink: false);
        }

        protected override void NavigateToCore(string uri, NavigationOptions options) => _pending.Enqueue(ToAbsoluteUri(uri).ToString());
    }
}
