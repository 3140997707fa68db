"""Valid input for the registration form and service, to change one thing at a time."""


def form_data(**overrides) -> dict:
    data = {
        "name": "Park Ji-won",
        "email": "jiwon.park@example.co.kr",
        "organisation": "Hanbit Engineering",
        "job_title": "Director",
        "country": "KR",
        "category": "korean_company",
        "phone": "",
        "time_zone": "Asia/Seoul",
        "language": "en",
        "consent_collection": "on",
        "consent_transfer": "on",
    }
    data.update(overrides)
    return data


def service_data(**overrides) -> dict:
    data = {
        "name": "Park Ji-won",
        "email": "jiwon.park@example.co.kr",
        "organisation": "Hanbit Engineering",
        "job_title": "Director",
        "country": "KR",
        "category": "korean_company",
        "phone": "",
        "time_zone": "Asia/Seoul",
        "language": "en",
        "wants_meetings": False,
        "sessions": [],
        "consents": ["collection", "transfer"],
    }
    data.update(overrides)
    return data
