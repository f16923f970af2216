using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Egov.Steering.Decisions.Data.Migrations
{
    /// <inheritdoc />
    public partial class IssuedNumberUnique : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_decisions_issuer_organisation_number_folded",
                table: "decisions");

            migrationBuilder.CreateIndex(
                name: "ix_decisions_issued_number",
                table: "decisions",
                columns: new[] { "issuer_organisation", "number_folded" },
                unique: true,
                filter: "number_folded <> '' AND state NOT IN (1, 4)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_decisions_issued_number",
                table: "decisions");

            migrationBuilder.CreateIndex(
                name: "ix_decisions_issuer_organisation_number_folded",
                table: "decisions",
                columns: new[] { "issuer_organisation", "number_folded" });
        }
    }
}
