using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Presence.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PreferredPresence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "LastSeen",
                table: "Users",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "OverallSince",
                table: "Users",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "Until",
                table: "ProtocolStatuses",
                type: "TEXT",
                nullable: true);

            // Users kept before these columns: the current overall state began at the newest "overall" history row, and an
            // unavailable user was last seen when the overall state first became unavailable after the newest row that was
            // not (history older than Presence:History:Retention is gone: then both stay null and the row's LastChange is used).
            migrationBuilder.Sql("""
                UPDATE "Users" SET "OverallSince" = (SELECT MAX(h."At") FROM "History" h WHERE h."UserId" = "Users"."Id" AND h."Protocol" = 'overall');
                UPDATE "Users" SET "LastSeen" = (
                    SELECT MIN(u."At") FROM "History" u
                    WHERE u."UserId" = "Users"."Id" AND u."Protocol" = 'overall' AND u."State" = 'unavailable'
                      AND u."At" >= (SELECT MAX(a."At") FROM "History" a WHERE a."UserId" = "Users"."Id" AND a."Protocol" = 'overall' AND a."State" <> 'unavailable'));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LastSeen",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "OverallSince",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "Until",
                table: "ProtocolStatuses");
        }
    }
}
