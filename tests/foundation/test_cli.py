from sqlalchemy import select

from synergy_app.auth.models import User


def run(app, args, input=None):
    return app.test_cli_runner().invoke(args=args, input=input)


def test_users_create_reads_password_from_stdin(app, db_session):
    result = run(app, ["users", "create", "--email", "First@Test.invalid", "--role", "admin", "--password-stdin"],
                 input="a-very-secret-passphrase\n")
    assert result.exit_code == 0, result.output
    user = db_session.scalar(select(User).where(User.email == "first@test.invalid"))
    assert user.role == "admin"


def test_users_create_binds_a_strategist_to_a_region_by_county_code(app, db_session):
    result = run(app, ["users", "create", "--email", "s@test.invalid", "--role", "strategist", "--region", "19",
                       "--password-stdin"], input="a-very-secret-passphrase\n")
    assert result.exit_code == 0, result.output
    assert db_session.scalar(select(User).where(User.email == "s@test.invalid")).region.slug == "vastmanland"


def test_users_create_names_the_bad_field_and_creates_nothing(app, db_session):
    result = run(app, ["users", "create", "--email", "s2@test.invalid", "--role", "strategist", "--region", "99",
                       "--password-stdin"], input="a-very-secret-passphrase\n")
    assert result.exit_code == 2
    assert "--region" in result.output and "Unknown region" in result.output
    short = run(app, ["users", "create", "--email", "s3@test.invalid", "--role", "reader", "--password-stdin"],
                input="short\n")
    assert short.exit_code == 2 and "--password" in short.output
    assert db_session.scalar(select(User).where(User.email.in_(["s2@test.invalid", "s3@test.invalid"]))) is None


def test_users_token_prints_a_working_token_as_last_line(app, client, db_session, make_user):
    user = make_user("reader")
    result = run(app, ["users", "token", "--email", user.email])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    response = client.get("/api/v1/regions", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_users_token_for_unknown_account_fails(app, db_session):
    result = run(app, ["users", "token", "--email", "ghost@test.invalid"])
    assert result.exit_code == 2 and "--email" in result.output
