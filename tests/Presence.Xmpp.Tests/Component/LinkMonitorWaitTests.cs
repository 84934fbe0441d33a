using Presence.Xmpp.Component;

namespace Presence.Xmpp.Tests.Component;

/// <summary><see cref="XmppLinkMonitor.WaitUntilAsync"/> against counters set from other threads without its lock.</summary>
public sealed class LinkMonitorWaitTests
{
    /// <summary>
    /// A counter set between the waiter's look at the snapshot and its registration used to find no waiter to wake, and
    /// the waiter then slept until its timeout (a CI failure of a publisher test waiting for the node's item count).
    /// A spinning setter thread races each registration; the first waiter left waiting fails the test.
    /// </summary>
    [Fact]
    public async Task AWaiterRegisteringWhileACounterChangesIsNeverLeftWaiting()
    {
        const int Rounds = 100_000;
        var monitor = new XmppLinkMonitor();
        var round = 0;
        var setter = new Thread(() =>
        {
            for (var i = 1; i <= Rounds; i++)
            {
                while (Volatile.Read(ref round) < i) Thread.SpinWait(1);
                monitor.SetNodeItems(i);
            }
        }) { IsBackground = true };
        setter.Start();
        for (var i = 1; i <= Rounds; i++)
        {
            var value = i;
            Volatile.Write(ref round, value);
            var waited = monitor.WaitUntilAsync(s => s.NodeItems >= value);
            var woken = await Task.WhenAny(waited, Task.Delay(TimeSpan.FromSeconds(5))) == waited;
            Assert.True(woken, $"round {value}: the waiter was not woken (node items {monitor.Current.NodeItems})");
        }
        setter.Join();
    }
}
