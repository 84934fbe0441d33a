using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Presence.Web.Data;

/// <summary>For <c>dotnet ef migrations add … --context SqlitePresenceDbContext</c> (no database is opened).</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqlitePresenceDbContext>
{
    public SqlitePresenceDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlitePresenceDbContext>().UseSqlite("Data Source=design-time.db")
            .UseApplicationServiceProvider(DesignTimeServices.Identity).Options);
}
