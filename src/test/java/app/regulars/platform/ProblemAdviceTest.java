package app.regulars.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

class ProblemAdviceTest {

    @Test
    void aCallTheDatabaseRolledBackOverALockConflictIsToBeSentAgain() {
        ResponseEntity<ProblemDetail> answer = new ProblemAdvice(new org.springframework.context.support.StaticMessageSource())
                .contended(new PessimisticLockingFailureException("ERROR: deadlock detected"));

        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(answer.getBody().getDetail()).contains("send it again").doesNotContain("deadlock");
    }
}
