package app.regulars;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class RegularsApplication {
    public static void main(String[] args) {
        SpringApplication.run(RegularsApplication.class, args);
    }
}
