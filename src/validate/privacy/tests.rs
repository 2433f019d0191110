use super::*;

fn found(text: &str) -> Vec<(&str, Private)> {
    find(text)
        .into_iter()
        .map(|h| (&text[h.start..h.end], h.what))
        .collect()
}

#[test]
fn private_looking_text() {
    use Private::*;
    let table: &[(&str, &[(&str, Private)])] = &[
        ("联系人电话13812345678。", &[("13812345678", Mobile)]),
        (
            "电话：１３８１２３４５６７８",
            &[("１３８１２３４５６７８", Mobile)],
        ),
        ("编号213812345678", &[]),
        ("12345678901", &[]),
        (
            "身份证44010619900101123X",
            &[("44010619900101123X", IdCard)],
        ),
        ("440106199001011234", &[("440106199001011234", IdCard)]),
        ("4401061990010112345", &[]),
        ("电话020-12345678", &[("020-12345678", Landline)]),
        ("（020）83456789", &[("020）83456789", Landline)]),
        ("0757-1234567转", &[("0757-1234567", Landline)]),
        ("2022-06-30", &[]),
        ("位于署前路12号", &[("12号", HouseNumber)]),
        ("东园街3号之一后座", &[("3号之一", HouseNumber)]),
        ("某大院5栋", &[("5栋", HouseNumber)]),
        ("某花园2号楼", &[("2号楼", HouseNumber)]),
        ("署前路一带", &[]),
        ("穗散乱污交〔2022〕76号", &[]),
        ("东山街道3号文件", &[]),
        ("拨打12345热线", &[]),
        ("限期2022-06-19前完成", &[]),
        ("电话138 0013 8000", &[("138 0013 8000", Mobile)]),
        ("电话138-0013-8000。", &[("138-0013-8000", Mobile)]),
        ("+8613800138000", &[("8613800138000", Mobile)]),
        ("+86 138 0013 8000", &[("86 138 0013 8000", Mobile)]),
        ("0086-13800138000", &[("0086-13800138000", Mobile)]),
        (
            "138\u{200b}0013\u{200b}8000",
            &[("138\u{200b}0013\u{200b}8000", Mobile)],
        ),
        (
            "138\u{a0}0013\u{a0}8000",
            &[("138\u{a0}0013\u{a0}8000", Mobile)],
        ),
        (
            "１３８　００１３　８０００",
            &[("１３８　００１３　８０００", Mobile)],
        ),
        ("共138 户，0013 8000 元", &[]),
        ("2022 13800138000", &[("13800138000", Mobile)]),
        ("位于中山路十二号", &[("十二号", HouseNumber)]),
        ("某大院三十五号楼", &[("三十五号楼", HouseNumber)]),
        ("中山一路一带", &[]),
        ("环市路一带", &[]),
        ("3月5号完成", &[]),
        ("三月五号完成", &[]),
        ("东山街道三号文件", &[]),
    ];
    for (text, want) in table {
        assert_eq!(&found(text), want, "{text}");
    }
}

#[test]
fn numbers_the_site_publishes_are_not_private() {
    let day = crate::model::Date::from_ymd_opt(2022, 3, 1).unwrap();
    let config = crate::model::Config {
        title: "t".into(),
        subtitle: None,
        lang: Default::default(),
        base_url: None,
        as_of: None,
        start: day,
        end: day,
        id_prefix: None,
        sample_data: false,
        hotline: Some("020-83456789 或 138 0013 8000".into()),
        office: None,
        footer: crate::model::Footer {
            address: Some("广州市越秀区府前路1号".into()),
            ..Default::default()
        },
        theme: "default".into(),
        briefing: Default::default(),
    };
    let published = Published::of(Some(&config));
    let table: &[(&str, &[Private])] = &[
        ("举报电话020-83456789", &[]),
        ("举报电话（020）83456789", &[]),
        ("也可拨打+86 13800138000", &[]),
        ("地址：府前路1号", &[]),
        ("联系13900139000", &[Private::Mobile]),
        ("位于中山路1号", &[Private::HouseNumber]),
        ("电话020-83456780", &[Private::Landline]),
    ];
    for (text, want) in table {
        let got: Vec<Private> = find(text)
            .into_iter()
            .filter(|h| !published.allows(text, h))
            .map(|h| h.what)
            .collect();
        assert_eq!(&got, want, "{text}");
    }
}

#[test]
fn positions_count_characters() {
    let text = "a: 一\nb: 署前路12号\n";
    let i = text.find("12").unwrap();
    assert_eq!(span_at(text, i, 5), Span::new(2, 7, 3));
    assert_eq!(offset(text, 2, 7), i);
}
