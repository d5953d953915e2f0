"""The source and note texts of the published emission factors, marked for the catalogue.

The migration ``0005_carbon`` seeds these texts, in English, on the published factors (those with
no owner); a Chinese reader sees them through the one catalogue. The migration keeps its own
copy (a migration does not change with the code); a test checks that every seeded text is here.
"""

from __future__ import annotations

from models.i18n import N_

PUBLISHED_FACTOR_TEXTS = (
    N_(
        "MEE & NBS, Announcement on the 2022 electricity CO2 emission factors (生态环境部 国"
        "家统计局《关于发布2022年电力二氧化碳排放因子的公告》, 2024-12-20): national average "
        "factor, 0.5366 kgCO2/kWh"
    ),
    N_(
        "MEE & NBS, Announcement on the 2022 electricity CO2 emission factors (生态环境部 国"
        "家统计局《关于发布2022年电力二氧化碳排放因子的公告》, 2024-12-20): North China "
        "regional grid average factor, 0.6776 kgCO2/kWh"
    ),
    N_(
        "MEE & NBS, Announcement on the 2022 electricity CO2 emission factors (生态环境部 国"
        "家统计局《关于发布2022年电力二氧化碳排放因子的公告》, 2024-12-20): Northeast China "
        "regional grid average factor, 0.5564 kgCO2/kWh"
    ),
    N_(
        "MEE & NBS, Announcement on the 2022 electricity CO2 emission factors (生态环境部 国"
        "家统计局《关于发布2022年电力二氧化碳排放因子的公告》, 2024-12-20): East China "
        "regional grid average factor, 0.5617 kgCO2/kWh"
    ),
    N_(
        "MEE & NBS, Announcement on the 2022 electricity CO2 emission factors (生态环境部 国"
        "家统计局《关于发布2022年电力二氧化碳排放因子的公告》, 2024-12-20): Central China "
        "regional grid average factor, 0.5395 kgCO2/kWh"
    ),
    N_(
        "MEE & NBS, Announcement on the 2022 electricity CO2 emission factors (生态环境部 国"
        "家统计局《关于发布2022年电力二氧化碳排放因子的公告》, 2024-12-20): Northwest China "
        "regional grid average factor, 0.5857 kgCO2/kWh"
    ),
    N_(
        "MEE & NBS, Announcement on the 2022 electricity CO2 emission factors (生态环境部 国"
        "家统计局《关于发布2022年电力二氧化碳排放因子的公告》, 2024-12-20): China Southern "
        "regional grid average factor, 0.3869 kgCO2/kWh"
    ),
    N_(
        "MEE & NBS, Announcement on the 2022 electricity CO2 emission factors (生态环境部 国"
        "家统计局《关于发布2022年电力二氧化碳排放因子的公告》, 2024-12-20): Southwest China "
        "regional grid average factor, 0.2268 kgCO2/kWh"
    ),
    N_(
        "MEE & NBS, Announcement on the 2021 electricity CO2 emission factors (公告2024年第"
        "12号, 2024-04): national average factor, 0.5568 kgCO2/kWh"
    ),
    N_(
        "MEE, notice on power-sector GHG reporting 2023-2025 (环办气候函〔2023〕43号): "
        "national grid average emission factor for 2022, 0.5703 tCO2/MWh, used in the "
        "national carbon market"
    ),
    N_(
        "2006 IPCC Guidelines, Vol. 2 Energy, Ch. 2 Table 2.2 default CO2 factor 56,100 "
        "kg/TJ; net calorific value 389.31 GJ per 10^4 Nm3 (China's default)"
    ),
    N_(
        "56.1 kgCO2/GJ x 0.038931 GJ/m3. CO2 only: CH4 and N2O from combusting these fuels "
        "are well below 1% of CO2e."
    ),
    N_(
        "2006 IPCC Guidelines, Vol. 2 Energy, Ch. 2 Table 2.2 default CO2 factor 74,100 "
        "(gas/diesel oil) kg/TJ; NCV 43.0 TJ/Gg (Vol. 2 Ch. 1 Table 1.2)"
    ),
    N_(
        "74.1 kgCO2/GJ x 43.0 GJ/t x 0.84 kg/L (density assumed). CO2 only: CH4 and N2O from "
        "combusting these fuels are well below 1% of CO2e."
    ),
    N_(
        "2006 IPCC Guidelines, Vol. 2 Energy, Ch. 2 Table 2.2 default CO2 factor 69,300 "
        "(motor gasoline) kg/TJ; NCV 44.3 TJ/Gg (Vol. 2 Ch. 1 Table 1.2)"
    ),
    N_(
        "69.3 kgCO2/GJ x 44.3 GJ/t x 0.74 kg/L (density assumed). CO2 only: CH4 and N2O from "
        "combusting these fuels are well below 1% of CO2e."
    ),
    N_(
        "China enterprise GHG accounting guidelines (NDRC, e.g. 工业其他行业企业温室气体排放"
        "核算方法与报告指南, 2015): purchased heat 0.11 tCO2/GJ; steam heat (2778 - 83.74) "
        "kJ/kg = 2.694 GJ/t (saturated steam about 1 MPa)"
    ),
    N_("0.11 tCO2/GJ x 2.694 GJ/t."),
)
