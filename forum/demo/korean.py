"""Korean values of the demo data, beside the English ones (docs/glossary.md's words)."""

EDITION_KO = {
    "title": "제9회 아세안 연계성 포럼",
    "theme": "코로나19 이후 시대의 아세안 연계성과 한-아세안 파트너십",
    "summary": (
        "한-아세안센터와 해외건설협회가 교통, 에너지, 스마트시티 분야의 연계성 사업을 소개하는 "
        "아세안 각국 정부와 한국 기업을 한자리에 모읍니다."
    ),
}

ORGANISATIONS_KO = {
    "ASEAN-Korea Centre": "한-아세안센터",
    "International Contractors Association of Korea": "해외건설협회",
    "Ministry of Foreign Affairs of the Republic of Korea": "외교부",
    "ASEAN Secretariat": "아세안 사무국",
    "United Nations Economic and Social Commission for Asia and the Pacific": (
        "유엔 아시아태평양경제사회위원회"
    ),
    "Multilateral Investment Guarantee Agency, Korea Office": "국제투자보증기구(MIGA) 한국사무소",
    "Export-Import Bank of Korea": "한국수출입은행",
    "ASEAN-ROK Programme Management Team": "한-아세안 협력사업팀(AKPMT)",
    "Permanent Mission of the Kingdom of Cambodia to ASEAN": "주아세안 캄보디아 대표부",
}

# slug: (name, position); "H.E." stays as it is in both languages
SPEAKERS_KO = {
    "kim-hae-yong": ("김해용", "사무총장"),
    "lee-seong-ho": ("이성호", "경제외교조정관"),
    "yeap-samnang": (
        "얍 삼낭",
        "아세안 연계성 조정위원회 의장, 주아세안 캄보디아 대사",
    ),
    "asean-secretariat-speaker": ("아세안 사무국 연사", ""),
    "un-escap-speaker": ("유엔 아시아태평양경제사회위원회 연사", ""),
    "miga-korea-speaker": ("국제투자보증기구 한국사무소 연사", ""),
    "kexim-speaker": ("한국수출입은행 연사", ""),
    "akpmt-speaker": ("한-아세안 협력사업팀 연사", ""),
}

# slug: description (the Korean titles sit in SESSIONS)
SESSION_DESCRIPTIONS_KO = {
    "opening": "한-아세안센터와 해외건설협회의 환영사.",
    "keynotes": "아세안 연계성 사업의 진척 상황과 팬데믹 시기에 사업이 마주한 과제.",
    "panel-post-covid-connectivity": (
        "코로나19 이후 아세안 연계성의 나아갈 길과 연계성 사업의 금융 조달 가능성을 높이는 방안."
    ),
    "akcf-for-connectivity": (
        "자카르타의 한-아세안 협력사업팀이 연계성 사업에 한-아세안 협력기금(AKCF)을 활용하는 "
        "방법을 소개합니다."
    ),
    "projects-transport": "아세안 회원국이 한국 파트너를 찾는 교통 사업을 발표합니다.",
    "projects-energy": "아세안 회원국이 한국 파트너를 찾는 에너지 사업을 발표합니다.",
    "projects-smart-cities": "아세안 회원국이 한국 파트너를 찾는 스마트시티 사업을 발표합니다.",
    "closing": (
        "사전 등록한 참가자가 1월 24일부터 2월 11일까지 온라인 비즈니스 미팅에 참여하는 방법."
    ),
}
ROOM = ("Main stream", "메인 스트림")

# slug: (title, agency, summary)
PROJECTS_KO = {
    "sample-urban-rail-extension": (
        "예시: 도시철도 노선 연장",
        "교통부(예시)",
        "예시 사업: 도로 혼잡을 줄이기 위한 대도시 철도 노선 연장.",
    ),
    "sample-port-logistics-platform": (
        "예시: 항만 물류 디지털 플랫폼",
        "공공사업교통부(예시)",
        "예시 사업: 항만·세관 절차를 위한 단일 창구.",
    ),
    "sample-cross-border-interconnection": (
        "예시: 국경 간 전력망 연계",
        "에너지광업부(예시)",
        "예시 사업: 역내 각국 전력망을 잇는 고압 송전선.",
    ),
    "sample-solar-hybrid-minigrids": (
        "예시: 도서 지역 태양광 하이브리드 소규모 전력망",
        "에너지광물자원부(예시)",
        "예시 사업: 외딴 섬의 디젤 발전을 대체합니다.",
    ),
    "sample-smart-traffic-centre": (
        "예시: 스마트 교통관리센터",
        "시 인민위원회(예시)",
        "예시 사업: 감응식 신호와 도시 전역 교통운영센터.",
    ),
    "sample-smart-water-network": (
        "예시: 스마트 상수도망",
        "지방수도청(예시)",
        "예시 사업: 센서와 계량기로 누수를 줄입니다.",
    ),
}

# email: (name, position, unit)
CONTACTS_KO = {
    "sjkim@aseankorea.org": ("김수정", "선임 담당관", "무역투자부"),
    "crbak@aseankorea.org": ("박채린", "홍보 담당관", "정보자료부"),
}
